-- Ingest and the report sums, in functions the server calls once per group of batches.
--
-- hold_relay_ingest stores a group in one statement, committed on its own: the events, what the
-- new ones change (hold_relay_apply: calls, holds, each call's first hold, the quarters they moved,
-- the live notice) and their webhook deliveries, all or nothing. Every statement costs a round trip:
-- a network hop to a PostgreSQL server, a message to the embedded database's thread, and on either
-- a turn of the server's event loop, where busy HTTP work makes it wait.
--
-- The sums are brought up to date after ingest, not inside it: ingest notes which quarter-hour
-- sums it moved (stale_quarters); hold_relay_refresh recomputes those, then the days and the
-- portal-wide quarters from them. The server runs it every few seconds and before every period
-- report, so a report always adds up to the rows, and ingest, which operators wait for, does the
-- least work. One refresh per portal at a time (an advisory lock), so sums are never recomputed
-- from a view that misses another refresh's change, also with several servers.
--
-- hold_relay_ingest's $1 is built by src/server/stats/ingest.ts:
--   events: one object per event, in the order the batches came: portal, id, type, user_id,
--     call_key, at, data (the stored JSON), hold (the hold row it speaks of), hold_seq, type_rank,
--     body (what a webhook receiver gets);
--   channel: the live channel; confirmed: the types a confirming webhook gets through /api/confirm.
-- It returns {"fresh": [[portal, id], ...]} (events stored now for the first time) and
-- {"queued": n} (webhook deliveries added). It builds hold_relay_apply's argument from the new events:
--   calls, started, ended, failedStart, failedResume: rows to write;
--   holds, callKeys: the keys of every hold and call the group touches;
--   channel, notify: the live channel, and the portals whose live views may have changed.

-- The quarters the given holds and calls sit in now, as {kind, portal, user_id, bucket} objects.
-- PL/pgSQL, not a plain SQL function: one that is not inlined is planned again at every call
-- (twice per group); PL/pgSQL keeps its plan for the session.
CREATE FUNCTION hold_relay_quarters_of(touched_holds jsonb, touched_calls jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
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

-- The quarters whose sums wait for a refresh: 'holds' (hold_quarters) or 'calls' (call_quarters).
-- Only ever appended to by ingest, a row per group and quarter, with no unique key: ingest never
-- waits on a refresh, and a refresh takes only the rows of groups committed before it looked.
CREATE TABLE stale_quarters (
  id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  portal  text        NOT NULL,
  kind    text        NOT NULL CHECK (kind IN ('holds', 'calls')),
  user_id integer     NOT NULL,
  bucket  timestamptz NOT NULL
);
CREATE INDEX stale_quarters_key ON stale_quarters (portal, kind, user_id, bucket);

-- Taken by whatever rewrites a portal's sums (a refresh, the retention purge, a rebuild), for the
-- rest of its transaction.
CREATE FUNCTION hold_relay_lock_sums(p_portal text) RETURNS void LANGUAGE sql VOLATILE AS
  $$ SELECT pg_advisory_xact_lock(72240014, hashtext(p_portal)) $$;

CREATE FUNCTION hold_relay_apply(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was jsonb := hold_relay_quarters_of(p->'holds', p->'callKeys');
BEGIN
  INSERT INTO calls (portal, call_key, user_id, first_at, last_at)
  SELECT c.portal, c.call_key, c.user_id, c.first_at, c.last_at
  FROM jsonb_to_recordset(p->'calls') AS c(portal text, call_key text, user_id int, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (portal, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at);

  -- A statement whose list is empty is skipped: on the embedded database even an empty one costs.
  -- hold.started is the authority on when the hold began.
  IF jsonb_array_length(p->'started') > 0 THEN
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at)
    SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at
    FROM jsonb_to_recordset(p->'started') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
      crm_entity_id bigint, phone_number text, started_at timestamptz)
    ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET started_at = EXCLUDED.started_at,
      call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
      crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
      crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
      phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number);
  END IF;

  -- The latest hold.ended wins (a failed resume is followed by another); the start is derived until hold.started comes.
  IF jsonb_array_length(p->'ended') > 0 THEN
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, ended_at, held_ms, ended_by)
    SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, ended_at, held_ms, ended_by
    FROM jsonb_to_recordset(p->'ended') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
      crm_entity_id bigint, phone_number text, started_at timestamptz, ended_at timestamptz, held_ms bigint, ended_by text)
    ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET
      started_at = COALESCE(holds.started_at, EXCLUDED.started_at),
      ended_at = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.ended_at ELSE holds.ended_at END,
      held_ms = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.held_ms ELSE holds.held_ms END,
      ended_by = CASE WHEN holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at THEN EXCLUDED.ended_by ELSE holds.ended_by END,
      call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
      crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
      crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
      phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number);
  END IF;

  -- Failures last: a failed hold never happened (its row keeps the failure's time until hold.started names the start) ...
  IF jsonb_array_length(p->'failedStart') > 0 THEN
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, failed)
    SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, true
    FROM jsonb_to_recordset(p->'failedStart') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
      crm_entity_id bigint, phone_number text, started_at timestamptz)
    ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET failed = true;
  END IF;

  -- ... and a failed resume reopens the hold, unless an end later than the failure came.
  IF jsonb_array_length(p->'failedResume') > 0 THEN
    UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
    FROM jsonb_to_recordset(p->'failedResume') AS h(portal text, call_key text, hold_seq int, started_at timestamptz)
    WHERE holds.portal = h.portal AND holds.call_key = h.call_key AND holds.hold_seq = h.hold_seq AND holds.ended_at < h.started_at;
  END IF;

  UPDATE calls c SET first_hold_at = (SELECT min(h.started_at) FROM holds h WHERE h.portal = c.portal AND h.call_key = c.call_key AND NOT h.failed)
  FROM jsonb_to_recordset(p->'callKeys') AS k(portal text, call_key text)
  WHERE c.portal = k.portal AND c.call_key = k.call_key;

  -- Every quarter the rows left or entered is recomputed whole from the rows, one index range each
  -- (LATERAL, never a join the planner could turn into a scan of every hold); one that emptied keeps
  -- a row of zeros, which adds nothing. Then the days and the portal-wide quarters from them.
  -- The quarters the rows sat in before and sit in now wait for the next refresh.
  INSERT INTO stale_quarters (portal, kind, user_id, bucket)
  SELECT DISTINCT b->>'portal', b->>'kind', (b->>'user_id')::int, (b->>'bucket')::timestamptz
  FROM jsonb_array_elements(was || hold_relay_quarters_of(p->'holds', p->'callKeys')) AS b;

  -- One notice per portal whose holds changed, delivered by PostgreSQL when the transaction commits.
  PERFORM pg_notify(p->>'channel', portal) FROM jsonb_array_elements_text(COALESCE(p->'notify', '[]'::jsonb)) AS portal;
END
$$;

-- Recomputes at most max_quarters of a portal's stale quarters (those noted first), and the days
-- and portal-wide quarters they sit in; returns how many it took (0: none was left). Every quarter
-- is recomputed whole from the rows, one index range each (LATERAL, never a join the planner could
-- turn into a scan of every hold); one that emptied keeps a row of zeros, which adds nothing.
CREATE FUNCTION hold_relay_refresh(p_portal text, max_quarters integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  hold_buckets jsonb;
  call_buckets jsonb;
  taken integer;
BEGIN
  PERFORM hold_relay_lock_sums(p_portal);
  -- Every row of the quarters picked goes, whichever group noted it; a group that commits after
  -- this looked keeps its rows for the next refresh. The quarters are picked among the rows noted
  -- first (the primary key's order), so a long list of stale rows costs no more than a short one.
  WITH pick AS (
    SELECT DISTINCT kind, user_id, bucket
    FROM (SELECT kind, user_id, bucket FROM stale_quarters WHERE portal = p_portal ORDER BY id LIMIT max_quarters * 8) AS first_noted
    LIMIT max_quarters
  ), gone AS (
    DELETE FROM stale_quarters s USING pick
    WHERE s.portal = p_portal AND s.kind = pick.kind AND s.user_id = pick.user_id AND s.bucket = pick.bucket
    RETURNING s.kind, s.user_id, s.bucket
  ), quarters AS (
    SELECT DISTINCT kind, user_id, bucket FROM gone
  )
  SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', p_portal, 'user_id', user_id, 'bucket', bucket)) FILTER (WHERE kind = 'holds'), '[]'::jsonb),
         COALESCE(jsonb_agg(jsonb_build_object('portal', p_portal, 'user_id', user_id, 'bucket', bucket)) FILTER (WHERE kind = 'calls'), '[]'::jsonb),
         count(*)
    INTO hold_buckets, call_buckets, taken
  FROM quarters;

  IF jsonb_array_length(hold_buckets) > 0 THEN
    INSERT INTO hold_quarters
    SELECT b.portal, b.bucket, b.user_id, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call
    FROM jsonb_to_recordset(hold_buckets) AS b(portal text, user_id int, bucket timestamptz) CROSS JOIN LATERAL (
      SELECT count(*) AS holds, count(h.ended_at) AS ended,
             COALESCE(sum(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0) AS held_ms,
             COALESCE(max(h.held_ms) FILTER (WHERE h.ended_at IS NOT NULL), 0) AS longest_ms,
             count(*) FILTER (WHERE h.ended_by IN ('hangup', 'close')) AS ended_with_call
      FROM holds h
      WHERE h.portal = b.portal AND h.started_at >= b.bucket AND h.started_at < b.bucket + interval '15 minutes'
        AND h.user_id = b.user_id AND NOT h.failed) AS s
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET holds = EXCLUDED.holds, ended = EXCLUDED.ended, held_ms = EXCLUDED.held_ms,
      longest_ms = EXCLUDED.longest_ms, ended_with_call = EXCLUDED.ended_with_call;

    INSERT INTO hold_days
    SELECT d.portal, d.day, d.user_id, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call
    FROM (SELECT DISTINCT portal, user_id, day_of(bucket) AS day
          FROM jsonb_to_recordset(hold_buckets) AS b(portal text, user_id int, bucket timestamptz)) AS d CROSS JOIN LATERAL (
      SELECT COALESCE(sum(holds), 0) AS holds, COALESCE(sum(ended), 0) AS ended, COALESCE(sum(held_ms), 0) AS held_ms,
             COALESCE(max(longest_ms), 0) AS longest_ms, COALESCE(sum(ended_with_call), 0) AS ended_with_call
      FROM hold_quarters q WHERE q.portal = d.portal AND q.user_id = d.user_id AND q.bucket >= d.day AND q.bucket < d.day + interval '1 day') AS s
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET holds = EXCLUDED.holds, ended = EXCLUDED.ended, held_ms = EXCLUDED.held_ms,
      longest_ms = EXCLUDED.longest_ms, ended_with_call = EXCLUDED.ended_with_call;

    INSERT INTO portal_quarters
    SELECT p2.portal, p2.bucket, s.holds, s.held_ms
    FROM (SELECT DISTINCT portal, bucket FROM jsonb_to_recordset(hold_buckets) AS b(portal text, bucket timestamptz)) AS p2 CROSS JOIN LATERAL (
      SELECT COALESCE(sum(holds), 0) AS holds, COALESCE(sum(held_ms), 0) AS held_ms
      FROM hold_quarters q WHERE q.portal = p2.portal AND q.bucket = p2.bucket) AS s
    ON CONFLICT (portal, bucket) DO UPDATE SET holds = EXCLUDED.holds, held_ms = EXCLUDED.held_ms;
  END IF;

  IF jsonb_array_length(call_buckets) > 0 THEN
    INSERT INTO call_quarters
    SELECT b.portal, b.bucket, b.user_id,
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND c.first_at >= b.bucket AND c.first_at < b.bucket + interval '15 minutes' AND c.user_id = b.user_id),
           (SELECT count(*) FROM calls c WHERE c.portal = b.portal AND c.first_hold_at >= b.bucket AND c.first_hold_at < b.bucket + interval '15 minutes' AND c.user_id = b.user_id)
    FROM jsonb_to_recordset(call_buckets) AS b(portal text, user_id int, bucket timestamptz)
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET calls = EXCLUDED.calls, calls_with_holds = EXCLUDED.calls_with_holds;

    INSERT INTO call_days
    SELECT d.portal, d.day, d.user_id, s.calls, s.calls_with_holds
    FROM (SELECT DISTINCT portal, user_id, day_of(bucket) AS day
          FROM jsonb_to_recordset(call_buckets) AS b(portal text, user_id int, bucket timestamptz)) AS d CROSS JOIN LATERAL (
      SELECT COALESCE(sum(calls), 0) AS calls, COALESCE(sum(calls_with_holds), 0) AS calls_with_holds
      FROM call_quarters q WHERE q.portal = d.portal AND q.user_id = d.user_id AND q.bucket >= d.day AND q.bucket < d.day + interval '1 day') AS s
    ON CONFLICT (portal, bucket, user_id) DO UPDATE SET calls = EXCLUDED.calls, calls_with_holds = EXCLUDED.calls_with_holds;
  END IF;

  RETURN taken;
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
