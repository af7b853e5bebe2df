-- The ingest statement takes a declared type instead of loose JSON.
--
-- hold_relay_incoming_event is one event as the server stores it (src/server/holds/ingest.ts writes
-- its fields in this order): the sender the portal confirmed, the event, its call key, its data, the
-- hold row it stands for (hold_relay_hold_row, 010), and its webhook body. The server sends an array
-- of them; the database reads each field with its type's own input, so a field of the wrong type fails
-- the statement. hold_relay_ingest reads the rows as typed columns; only the data it stores and the
-- outcome it returns are JSON. The rules are those of the jsonb ingest it replaces, unchanged.
CREATE TYPE hold_relay_incoming_event AS (portal text, id text, type text, user_id integer, call_key text,
  at timestamptz, data jsonb, hold hold_relay_hold_row, hold_seq integer, type_rank smallint, body text);

-- Made from 010's jsonb ingest on a database that had it; a new one never had it.
DROP FUNCTION IF EXISTS hold_relay_ingest(jsonb);

-- Returns {"fresh": [[portal, user_id, id], ...], "queued": n, "used": {portal: events stored that day}}.
CREATE FUNCTION hold_relay_ingest(p_events hold_relay_incoming_event[], p_channel text, p_confirmed text[], p_day date)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  fresh hold_relay_incoming_event[];
  queued integer := 0;
  used jsonb;
BEGIN
  -- The first copy of each new event of its user; a later copy (another frame, a retry) is a duplicate.
  WITH incoming AS (
    SELECT p_events[ord] AS e, ord FROM generate_subscripts(p_events, 1) AS ord
  ), stored AS (
    INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
    SELECT (e).portal, (e).id, (e).type, (e).user_id, (e).call_key, (e).at, (e).data
    -- In key order, so groups stored at once never wait on each other in a circle.
    FROM incoming ORDER BY (e).portal, (e).user_id, (e).id
    ON CONFLICT (portal, user_id, event_id) DO NOTHING
    RETURNING portal, user_id, event_id
  )
  SELECT COALESCE(array_agg(first.e ORDER BY first.ord), '{}') INTO fresh
  FROM (SELECT DISTINCT ON ((e).portal, (e).user_id, (e).id) e, ord FROM incoming ORDER BY (e).portal, (e).user_id, (e).id, ord) AS first
  JOIN stored ON stored.portal = (first.e).portal AND stored.user_id = (first.e).user_id AND stored.event_id = (first.e).id;

  IF cardinality(fresh) = 0 THEN
    RETURN jsonb_build_object('fresh', '[]'::jsonb, 'queued', 0, 'used', '{}'::jsonb);
  END IF;

  -- The rules' input: one row per hold and kind of change, sorted by key so concurrent writers lock
  -- rows in one order.
  PERFORM hold_relay_apply((
    WITH f AS (
      SELECT x.type, (x.data->>'held')::boolean AS held, x.hold, x.ord, x.portal, x.call_key, x.hold_seq, x.user_id, x.at, x.data
      FROM unnest(fresh) WITH ORDINALITY AS x(portal, id, type, user_id, call_key, at, data, hold, hold_seq, type_rank, body, ord)
    ), calls AS (
      SELECT portal, user_id, call_key, min(at) AS first_at, max(at) AS last_at, min(NULLIF(data->>'lineNumber', '')) AS line_number,
             min((data->>'answeredAt')::timestamptz) FILTER (WHERE type = 'call.summary') AS answered_at,
             max((data->>'talkMs')::bigint) FILTER (WHERE type = 'call.summary') AS talk_ms
      FROM f GROUP BY portal, user_id, call_key
    )
    SELECT jsonb_build_object(
      'calls', (SELECT COALESCE(jsonb_agg(to_jsonb(c) ORDER BY c.portal, c.user_id, c.call_key), '[]'::jsonb) FROM calls c),
      'started', (SELECT COALESCE(jsonb_agg(to_jsonb(h.hold) ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.started'
        ORDER BY portal, user_id, call_key, hold_seq, ord) AS h),
      -- The latest end wins.
      'ended', (SELECT COALESCE(jsonb_agg(to_jsonb(h.hold) ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.ended'
        ORDER BY portal, user_id, call_key, hold_seq, (hold).ended_at DESC, ord) AS h),
      'failedStart', (SELECT COALESCE(jsonb_agg(to_jsonb(h.hold) ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND NOT held
        ORDER BY portal, user_id, call_key, hold_seq, ord) AS h),
      -- The latest failed resume wins.
      'failedResume', (SELECT COALESCE(jsonb_agg(to_jsonb(h.hold) ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND held
        ORDER BY portal, user_id, call_key, hold_seq, (hold).started_at DESC, ord) AS h),
      'holds', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'user_id', user_id, 'call_key', call_key, 'hold_seq', hold_seq)
                  ORDER BY portal, user_id, call_key, hold_seq), '[]'::jsonb)
                FROM (SELECT DISTINCT portal, user_id, call_key, hold_seq FROM f WHERE type <> 'call.summary') AS k),
      'callKeys', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'user_id', user_id, 'call_key', call_key)
                     ORDER BY portal, user_id, call_key), '[]'::jsonb)
                   FROM calls),
      'channel', p_channel,
      'notify', (SELECT COALESCE(jsonb_agg(DISTINCT portal), '[]'::jsonb) FROM f WHERE type <> 'call.summary')
    )
  ));

  -- Queued for every webhook of their portal that takes their type and is not stopped, unless a
  -- confirming one gets them through /api/confirm or they are older than the webhook keeps trying.
  WITH added AS (
    INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, hold_seq, type_rank, body)
    SELECT w.id, e.user_id, e.id, e.type, e.user_id || E'\n' || e.call_key, e.at, e.hold_seq, e.type_rank, e.body
    FROM unnest(fresh) AS e
    JOIN webhooks w ON w.portal = e.portal AND e.type = ANY(w.event_types) AND w.stopped_at IS NULL
    WHERE NOT (w.confirm AND e.type = ANY(p_confirmed))
      AND e.at > now() - make_interval(secs => w.max_age_ms / 1000.0)
    ORDER BY e.at, e.hold_seq, e.type_rank
    ON CONFLICT (webhook_id, user_id, event_id) DO NOTHING
    RETURNING 1
  )
  SELECT count(*) INTO queued FROM added;

  -- The day's count per portal, for the quota: last, so the portal's row is locked only until the
  -- commit that follows. The server checks the count it got back before it stores the next batch.
  WITH counted AS (
    INSERT INTO event_quota (portal, day, events)
    SELECT e.portal, p_day, count(*) FROM unnest(fresh) AS e GROUP BY 1 ORDER BY 1
    ON CONFLICT (portal, day) DO UPDATE SET events = event_quota.events + EXCLUDED.events
    RETURNING portal, events
  )
  SELECT COALESCE(jsonb_object_agg(portal, events), '{}'::jsonb) INTO used FROM counted;

  RETURN jsonb_build_object(
    'fresh', (SELECT jsonb_agg(jsonb_build_array(e.portal, e.user_id, e.id)) FROM unnest(fresh) AS e),
    'queued', queued,
    'used', used
  );
END
$$;
