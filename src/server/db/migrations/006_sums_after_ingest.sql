-- Sums brought up to date after ingest, not inside it. Ingest writes the rows (events, holds,
-- calls) and notes which quarter-hour sums they moved; hold_relay_refresh recomputes those sums,
-- then the days and portal-wide quarters from them. The server runs it every few seconds and
-- before every period report, so a report always adds up to the rows; ingest, which operators wait
-- for, does the least work. One refresh per portal at a time (an advisory lock), so sums are never
-- recomputed from a view that misses another refresh's change, also with several servers.

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

CREATE OR REPLACE FUNCTION hold_relay_apply(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
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
