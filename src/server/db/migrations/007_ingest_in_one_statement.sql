-- A group of batches in one statement, committed on its own: the events, what the new ones change
-- (hold_relay_apply) and their webhook deliveries, instead of BEGIN, three statements and COMMIT.
-- Every statement costs a round trip: a network hop to a PostgreSQL server, a message to the
-- embedded database's thread, and on either a turn of the server's event loop, where busy HTTP
-- work makes it wait. One statement is one transaction, so the events are stored, applied and
-- queued together or not at all, as before.
--
-- $1 is built by src/server/stats/ingest.ts:
--   events: one object per event, in the order the batches came: portal, id, type, user_id,
--     call_key, at, data (the stored JSON), hold (the hold row it speaks of), hold_seq, type_rank,
--     body (what a webhook receiver gets);
--   channel: the live channel; confirmed: the types a confirming webhook gets through /api/confirm.
-- Returns {"fresh": [[portal, id], ...]} (events stored now for the first time) and
-- {"queued": n} (webhook deliveries added).

-- The quarters of the given holds and calls, as in migration 004, in PL/pgSQL: a plain SQL function
-- that is not inlined is planned again at every call, twice per group; PL/pgSQL keeps its plan for
-- the session.
CREATE OR REPLACE FUNCTION hold_relay_quarters_of(touched_holds jsonb, touched_calls jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN (
    SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', kind, 'portal', portal, 'user_id', user_id, 'bucket', bucket)), '[]'::jsonb)
    FROM (
      SELECT DISTINCT 'holds' AS kind, h.portal, h.user_id, quarter_of(h.started_at) AS bucket
      FROM holds h JOIN jsonb_to_recordset(touched_holds) AS k(portal text, call_key text, hold_seq int)
        ON h.portal = k.portal AND h.call_key = k.call_key AND h.hold_seq = k.hold_seq
      WHERE h.started_at IS NOT NULL
      UNION
      SELECT 'calls', c.portal, c.user_id, quarter_of(x.at)
      FROM calls c JOIN jsonb_to_recordset(touched_calls) AS k(portal text, call_key text) ON c.portal = k.portal AND c.call_key = k.call_key
      CROSS JOIN LATERAL (VALUES (c.first_at), (c.first_hold_at)) AS x(at)
      WHERE x.at IS NOT NULL
    ) AS q
  );
END
$$;

CREATE FUNCTION hold_relay_ingest(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  fresh jsonb;
  queued integer := 0;
BEGIN
  -- The first copy of each new event; a later copy (another frame, a retry) is a duplicate.
  WITH incoming AS (
    SELECT x.e, x.ord, x.e->>'portal' AS portal, x.e->>'id' AS id
    FROM jsonb_array_elements(p->'events') WITH ORDINALITY AS x(e, ord)
  ), stored AS (
    INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
    SELECT portal, id, e->>'type', (e->>'user_id')::int, e->>'call_key', (e->>'at')::timestamptz, e->'data'
    -- In key order, so groups stored at once never wait on each other in a circle.
    FROM incoming ORDER BY portal, id
    ON CONFLICT (portal, event_id) DO NOTHING
    RETURNING portal, event_id
  )
  SELECT COALESCE(jsonb_agg(first.e ORDER BY first.ord), '[]'::jsonb) INTO fresh
  FROM (SELECT DISTINCT ON (portal, id) e, ord, portal, id FROM incoming ORDER BY portal, id, ord) AS first
  JOIN stored ON stored.portal = first.portal AND stored.event_id = first.id;

  IF jsonb_array_length(fresh) = 0 THEN
    RETURN jsonb_build_object('fresh', '[]'::jsonb, 'queued', 0);
  END IF;

  -- The rules' input as ingest.ts built it before: one row per hold and kind of change, sorted by
  -- key so concurrent writers lock rows in one order.
  PERFORM hold_relay_apply((
    WITH f AS (
      SELECT x.e->>'type' AS type, (x.e->'data'->>'held')::boolean AS held, x.e->'hold' AS hold, x.ord,
             x.e->>'portal' AS portal, x.e->>'call_key' AS call_key, (x.e->>'hold_seq')::int AS hold_seq,
             (x.e->>'user_id')::int AS user_id, (x.e->>'at')::timestamptz AS at
      FROM jsonb_array_elements(fresh) WITH ORDINALITY AS x(e, ord)
    ), calls AS (
      SELECT portal, call_key, (array_agg(user_id ORDER BY ord))[1] AS user_id, min(at) AS first_at, max(at) AS last_at
      FROM f GROUP BY portal, call_key
    )
    SELECT jsonb_build_object(
      'calls', (SELECT COALESCE(jsonb_agg(to_jsonb(c) ORDER BY c.portal, c.call_key), '[]'::jsonb) FROM calls c),
      'started', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, call_key, hold_seq) * FROM f WHERE type = 'hold.started'
        ORDER BY portal, call_key, hold_seq, ord) AS h),
      -- The latest end wins.
      'ended', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, call_key, hold_seq) * FROM f WHERE type = 'hold.ended'
        ORDER BY portal, call_key, hold_seq, (hold->>'ended_at')::timestamptz DESC, ord) AS h),
      'failedStart', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND NOT held
        ORDER BY portal, call_key, hold_seq, ord) AS h),
      -- The latest failed resume wins.
      'failedResume', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND held
        ORDER BY portal, call_key, hold_seq, (hold->>'started_at')::timestamptz DESC, ord) AS h),
      'holds', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'call_key', call_key, 'hold_seq', hold_seq)
                  ORDER BY portal, call_key, hold_seq), '[]'::jsonb)
                FROM (SELECT DISTINCT portal, call_key, hold_seq FROM f WHERE type <> 'call.summary') AS k),
      'callKeys', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'call_key', call_key) ORDER BY portal, call_key), '[]'::jsonb)
                   FROM calls),
      'channel', p->'channel',
      'notify', (SELECT COALESCE(jsonb_agg(DISTINCT portal), '[]'::jsonb) FROM f WHERE type <> 'call.summary')
    )
  ));

  -- Queued for every webhook of their portal that takes their type and is not stopped, unless a
  -- confirming one gets them through /api/confirm or they are older than the webhook keeps trying.
  WITH added AS (
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, call_key, occurred_at, hold_seq, type_rank, body)
    SELECT w.id, e.id, e.type, e.call_key, e.at, e.hold_seq, e.type_rank, e.body
    FROM jsonb_to_recordset(fresh) AS e(portal text, id text, type text, call_key text, at timestamptz, hold_seq int, type_rank smallint, body text)
    JOIN webhooks w ON w.portal = e.portal AND e.type = ANY(w.event_types) AND w.stopped_at IS NULL
    WHERE NOT (w.confirm AND e.type IN (SELECT jsonb_array_elements_text(p->'confirmed')))
      AND e.at > now() - make_interval(secs => w.max_age_ms / 1000.0)
    ORDER BY e.at, e.hold_seq, e.type_rank
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO queued FROM added;

  RETURN jsonb_build_object(
    'fresh', (SELECT jsonb_agg(jsonb_build_array(x.e->>'portal', x.e->>'id')) FROM jsonb_array_elements(fresh) AS x(e)),
    'queued', queued
  );
END
$$;
