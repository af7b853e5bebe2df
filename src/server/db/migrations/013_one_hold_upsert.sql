-- One statement writes a group's started and ended holds.
--
-- hold_relay_apply (first in 010) wrote hold.started and hold.ended rows with two inserts, each
-- merging the hold's identity with the stored row's in the same words. One insert of the two lists
-- joined per hold now merges it once. The rules are unchanged: the ingest rule tests run on both
-- drivers.

-- Writes what a group of new events changes (the argument ingest builds, 011): calls with their
-- lines and talk, holds started, ended and failed, each call's first hold and held time, the quarters
-- they moved, and one live notice per portal whose holds changed.
CREATE OR REPLACE FUNCTION hold_relay_apply(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was jsonb := hold_relay_quarters_of(p->'holds', p->'callKeys');
BEGIN
  INSERT INTO calls (portal, user_id, call_key, first_at, last_at, line_number, answered_at, talk_ms)
  SELECT c.portal, c.user_id, c.call_key, c.first_at, c.last_at, c.line_number, c.answered_at, c.talk_ms
  FROM jsonb_populate_recordset(NULL::hold_relay_call_row, p->'calls') AS c
  ON CONFLICT (portal, user_id, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at),
    line_number = LEAST(calls.line_number, EXCLUDED.line_number),
    answered_at = LEAST(calls.answered_at, EXCLUDED.answered_at),
    talk_ms = GREATEST(calls.talk_ms, EXCLUDED.talk_ms);

  -- A statement whose list is empty is skipped: on the embedded database even an empty one costs.
  -- Holds started and ended, one row per hold (the two lists are sorted by key and hold one row per
  -- hold each): what either event names of the call (its id, CRM entity, phone, line) fills what the
  -- stored row lacks. hold.started is the authority on when the hold began; an end alone gives the start
  -- it implies until hold.started comes. The latest hold.ended wins (a failed resume is followed by
  -- another).
  IF jsonb_array_length(p->'started') > 0 OR jsonb_array_length(p->'ended') > 0 THEN
    WITH s AS (SELECT * FROM jsonb_populate_recordset(NULL::hold_relay_hold_row, p->'started')),
         e AS (SELECT * FROM jsonb_populate_recordset(NULL::hold_relay_hold_row, p->'ended'))
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, line_number, started_at, ended_at, held_ms, ended_by)
    SELECT portal, call_key, hold_seq, user_id, COALESCE(s.call_id, e.call_id), COALESCE(s.crm_entity_type, e.crm_entity_type),
           COALESCE(s.crm_entity_id, e.crm_entity_id), COALESCE(s.phone_number, e.phone_number), LEAST(s.line_number, e.line_number),
           COALESCE(s.started_at, e.started_at), e.ended_at, e.held_ms, e.ended_by
    FROM s FULL JOIN e USING (portal, user_id, call_key, hold_seq)
    -- In key order, so concurrent writers lock rows in one order.
    ORDER BY portal, user_id, call_key, hold_seq
    -- EXCLUDED.started_at cannot say whether hold.started came in this group (an end alone puts the
    -- start it implies there too), so a stored start gives way only to one looked up in the started list.
    ON CONFLICT (portal, user_id, call_key, hold_seq) DO UPDATE SET
      started_at = COALESCE((SELECT s.started_at FROM s WHERE (s.portal, s.user_id, s.call_key, s.hold_seq) = (EXCLUDED.portal, EXCLUDED.user_id, EXCLUDED.call_key, EXCLUDED.hold_seq)),
                            holds.started_at, EXCLUDED.started_at),
      ended_at = CASE WHEN EXCLUDED.ended_at IS NOT NULL AND (holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at) THEN EXCLUDED.ended_at ELSE holds.ended_at END,
      held_ms = CASE WHEN EXCLUDED.ended_at IS NOT NULL AND (holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at) THEN EXCLUDED.held_ms ELSE holds.held_ms END,
      ended_by = CASE WHEN EXCLUDED.ended_at IS NOT NULL AND (holds.ended_at IS NULL OR EXCLUDED.ended_at > holds.ended_at) THEN EXCLUDED.ended_by ELSE holds.ended_by END,
      call_id = COALESCE(holds.call_id, EXCLUDED.call_id),
      crm_entity_type = COALESCE(holds.crm_entity_type, EXCLUDED.crm_entity_type),
      crm_entity_id = COALESCE(holds.crm_entity_id, EXCLUDED.crm_entity_id),
      phone_number = COALESCE(holds.phone_number, EXCLUDED.phone_number),
      line_number = LEAST(holds.line_number, EXCLUDED.line_number);
  END IF;

  -- Failures last: a failed hold never happened (its row keeps the failure's time until hold.started names the start) ...
  IF jsonb_array_length(p->'failedStart') > 0 THEN
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, line_number, started_at, failed)
    SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, line_number, started_at, true
    FROM jsonb_populate_recordset(NULL::hold_relay_hold_row, p->'failedStart') AS h
    ON CONFLICT (portal, user_id, call_key, hold_seq) DO UPDATE SET failed = true, line_number = LEAST(holds.line_number, EXCLUDED.line_number);
  END IF;

  -- ... and a failed resume reopens the hold, unless an end later than the failure came.
  IF jsonb_array_length(p->'failedResume') > 0 THEN
    UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
    FROM jsonb_populate_recordset(NULL::hold_relay_hold_row, p->'failedResume') AS h
    WHERE holds.portal = h.portal AND holds.user_id = h.user_id AND holds.call_key = h.call_key AND holds.hold_seq = h.hold_seq
      AND holds.ended_at < h.started_at;
  END IF;

  PERFORM hold_relay_call_holds(array_agg(k.portal), array_agg(k.user_id), array_agg(k.call_key))
  FROM jsonb_populate_recordset(NULL::hold_relay_call_row, p->'callKeys') AS k;

  -- The quarters the rows sat in before and sit in now wait for the next refresh.
  INSERT INTO stale_quarters (portal, kind, user_id, bucket)
  SELECT DISTINCT b->>'portal', b->>'kind', (b->>'user_id')::int, (b->>'bucket')::timestamptz
  FROM jsonb_array_elements(was || hold_relay_quarters_of(p->'holds', p->'callKeys')) AS b;

  -- One notice per portal whose holds changed, delivered by PostgreSQL when the transaction commits.
  PERFORM pg_notify(p->>'channel', portal) FROM jsonb_array_elements_text(COALESCE(p->'notify', '[]'::jsonb)) AS portal;
END
$$;
