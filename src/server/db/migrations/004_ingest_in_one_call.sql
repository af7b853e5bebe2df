-- Ingest in one call: everything a group of new events changes (calls, holds, each call's first
-- hold, the quarter-hour and day sums, the live notice) in one statement, instead of a dozen
-- round trips per group. The embedded database runs statements on the server's own thread, and
-- every round trip there lets queued HTTP work in between; on a server each costs a network hop.
-- $1 is an object of record lists built by src/server/stats/ingest.ts:
--   calls, started, ended, failedStart, failedResume: rows to write;
--   holds, callKeys: the keys of every hold and call the group touches;
--   channel, notify: the live channel, and the portals whose live views may have changed.

-- The quarters the given holds and calls sit in now, as {kind, portal, user_id, bucket} objects.
CREATE FUNCTION hold_relay_quarters_of(touched_holds jsonb, touched_calls jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
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
$$;

CREATE FUNCTION hold_relay_apply(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was jsonb := hold_relay_quarters_of(p->'holds', p->'callKeys');
  touched jsonb;
  hold_buckets jsonb;
  call_buckets jsonb;
BEGIN
  INSERT INTO calls (portal, call_key, user_id, first_at, last_at)
  SELECT c.portal, c.call_key, c.user_id, c.first_at, c.last_at
  FROM jsonb_to_recordset(p->'calls') AS c(portal text, call_key text, user_id int, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (portal, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at);

  -- hold.started is the authority on when the hold began.
  INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at)
  SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at
  FROM jsonb_to_recordset(p->'started') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
    crm_entity_id bigint, phone_number text, started_at timestamptz)
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET started_at = EXCLUDED.started_at,
    call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
    crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
    crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
    phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number);

  -- The latest hold.ended wins (a failed resume is followed by another); the start is derived until hold.started comes.
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

  -- Failures last: a failed hold never happened (its row keeps the failure's time until hold.started names the start) ...
  INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, failed)
  SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at, true
  FROM jsonb_to_recordset(p->'failedStart') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
    crm_entity_id bigint, phone_number text, started_at timestamptz)
  ON CONFLICT (portal, call_key, hold_seq) DO UPDATE SET failed = true;

  -- ... and a failed resume reopens the hold, unless an end later than the failure came.
  UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
  FROM jsonb_to_recordset(p->'failedResume') AS h(portal text, call_key text, hold_seq int, started_at timestamptz)
  WHERE holds.portal = h.portal AND holds.call_key = h.call_key AND holds.hold_seq = h.hold_seq AND holds.ended_at < h.started_at;

  UPDATE calls c SET first_hold_at = (SELECT min(h.started_at) FROM holds h WHERE h.portal = c.portal AND h.call_key = c.call_key AND NOT h.failed)
  FROM jsonb_to_recordset(p->'callKeys') AS k(portal text, call_key text)
  WHERE c.portal = k.portal AND c.call_key = k.call_key;

  -- Every quarter the rows left or entered is recomputed whole from the rows, one index range each
  -- (LATERAL, never a join the planner could turn into a scan of every hold); one that emptied keeps
  -- a row of zeros, which adds nothing. Then the days and the portal-wide quarters from them.
  touched := was || hold_relay_quarters_of(p->'holds', p->'callKeys');
  SELECT COALESCE(jsonb_agg(DISTINCT b - 'kind') FILTER (WHERE b->>'kind' = 'holds'), '[]'::jsonb),
         COALESCE(jsonb_agg(DISTINCT b - 'kind') FILTER (WHERE b->>'kind' = 'calls'), '[]'::jsonb)
    INTO hold_buckets, call_buckets
  FROM jsonb_array_elements(touched) AS b;

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

  -- One notice per portal whose holds changed, delivered by PostgreSQL when the transaction commits.
  PERFORM pg_notify(p->>'channel', portal) FROM jsonb_array_elements_text(COALESCE(p->'notify', '[]'::jsonb)) AS portal;
END
$$;
