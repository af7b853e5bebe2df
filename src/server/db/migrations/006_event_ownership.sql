-- Every event, hold and call belongs to the (portal, user) the portal confirmed for the token that
-- sent it. Before this, events were stored once per (portal, event id) and holds and calls were
-- keyed by (portal, call key): another user's event with the same id was dropped as a duplicate
-- (and the real one lost), and another user's hold.ended for the same call ended or lengthened the
-- first user's hold. Now the user is part of every key: the same id from another user is that
-- user's own event, and a hold row changes only through its owner's events.
--
-- A call is counted per operator: a call two operators took part in (a transfer) is a call of
-- each. For calls with events of one operator only (nearly all), every figure stays as it was.

ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (portal, user_id, event_id);

ALTER TABLE holds DROP CONSTRAINT holds_pkey;
ALTER TABLE holds ADD PRIMARY KEY (portal, user_id, call_key, hold_seq);

ALTER TABLE calls DROP CONSTRAINT calls_pkey;
ALTER TABLE calls ADD PRIMARY KEY (portal, user_id, call_key);

-- Calls with events of more than one user were one row, of the first user: each user gets a row of
-- their own, spanning their own events, and the quarters those rows sat and sit in are recomputed.
CREATE TEMPORARY TABLE shared_calls ON COMMIT DROP AS
  SELECT portal, user_id, call_key, min(occurred_at) AS first_at, max(occurred_at) AS last_at
  FROM events
  WHERE call_key IS NOT NULL AND (portal, call_key) IN (
    SELECT portal, call_key FROM events WHERE call_key IS NOT NULL GROUP BY portal, call_key HAVING count(DISTINCT user_id) > 1)
  GROUP BY portal, user_id, call_key;

INSERT INTO stale_quarters (portal, kind, user_id, bucket)
SELECT DISTINCT c.portal, 'calls', c.user_id, quarter_of(x.at)
FROM calls c JOIN (SELECT DISTINCT portal, call_key FROM shared_calls) s ON s.portal = c.portal AND s.call_key = c.call_key
CROSS JOIN LATERAL (VALUES (c.first_at), (c.first_hold_at)) AS x(at)
WHERE x.at IS NOT NULL;

INSERT INTO calls (portal, user_id, call_key, first_at, last_at)
SELECT portal, user_id, call_key, first_at, last_at FROM shared_calls
ON CONFLICT (portal, user_id, call_key) DO UPDATE SET first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at;

UPDATE calls c SET first_hold_at = (
  SELECT min(h.started_at) FROM holds h WHERE h.portal = c.portal AND h.user_id = c.user_id AND h.call_key = c.call_key AND NOT h.failed)
FROM shared_calls s WHERE s.portal = c.portal AND s.user_id = c.user_id AND s.call_key = c.call_key;

INSERT INTO stale_quarters (portal, kind, user_id, bucket)
SELECT DISTINCT c.portal, 'calls', c.user_id, quarter_of(x.at)
FROM calls c JOIN shared_calls s ON s.portal = c.portal AND s.user_id = c.user_id AND s.call_key = c.call_key
CROSS JOIN LATERAL (VALUES (c.first_at), (c.first_hold_at)) AS x(at)
WHERE x.at IS NOT NULL;

-- A delivery is of one user's event: receivers drop duplicates by webhook-id, which the server
-- derives from (portal, user, event id). Existing rows take the user their signed body names.
ALTER TABLE webhook_deliveries ADD COLUMN user_id integer;
UPDATE webhook_deliveries SET user_id = COALESCE((body::jsonb #>> '{data,userId}')::int, 0);
ALTER TABLE webhook_deliveries ALTER COLUMN user_id SET NOT NULL;
-- A delivery's chain (the events of one call sent in order) is its user's own call: another user's
-- events for the same call id, a failing one above all, never hold the owner's back.
UPDATE webhook_deliveries SET call_key = user_id || E'\n' || call_key WHERE call_key IS NOT NULL;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_webhook_id_event_id_key;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_event_key UNIQUE (webhook_id, user_id, event_id);

-- Events stored per portal and UTC day, for the daily quota; kept by ingest in the statement that
-- stores them, so every server sharing the database counts the same. The daily purge forgets the
-- days before yesterday.
CREATE TABLE event_quota (
  portal text   NOT NULL,
  day    date   NOT NULL,
  events bigint NOT NULL,
  PRIMARY KEY (portal, day)
);

-- As in 004, with the user in every key.
CREATE OR REPLACE FUNCTION hold_relay_quarters_of(touched_holds jsonb, touched_calls jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN (
    SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', kind, 'portal', portal, 'user_id', user_id, 'bucket', bucket)), '[]'::jsonb)
    FROM (
      SELECT DISTINCT 'holds' AS kind, h.portal, h.user_id, quarter_of(h.started_at) AS bucket
      FROM holds h JOIN jsonb_to_recordset(touched_holds) AS k(portal text, user_id int, call_key text, hold_seq int)
        ON h.portal = k.portal AND h.user_id = k.user_id AND h.call_key = k.call_key AND h.hold_seq = k.hold_seq
      WHERE h.started_at IS NOT NULL
      UNION
      SELECT 'calls', c.portal, c.user_id, quarter_of(x.at)
      FROM calls c JOIN jsonb_to_recordset(touched_calls) AS k(portal text, user_id int, call_key text)
        ON c.portal = k.portal AND c.user_id = k.user_id AND c.call_key = k.call_key
      CROSS JOIN LATERAL (VALUES (c.first_at), (c.first_hold_at)) AS x(at)
      WHERE x.at IS NOT NULL
    ) AS q
  );
END
$$;

CREATE OR REPLACE FUNCTION hold_relay_apply(p jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was jsonb := hold_relay_quarters_of(p->'holds', p->'callKeys');
BEGIN
  INSERT INTO calls (portal, user_id, call_key, first_at, last_at)
  SELECT c.portal, c.user_id, c.call_key, c.first_at, c.last_at
  FROM jsonb_to_recordset(p->'calls') AS c(portal text, user_id int, call_key text, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (portal, user_id, call_key) DO UPDATE SET
    first_at = LEAST(calls.first_at, EXCLUDED.first_at),
    last_at = GREATEST(calls.last_at, EXCLUDED.last_at);

  -- A statement whose list is empty is skipped: on the embedded database even an empty one costs.
  -- hold.started is the authority on when the hold began.
  IF jsonb_array_length(p->'started') > 0 THEN
    INSERT INTO holds (portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at)
    SELECT portal, call_key, hold_seq, user_id, call_id, crm_entity_type, crm_entity_id, phone_number, started_at
    FROM jsonb_to_recordset(p->'started') AS h(portal text, call_key text, hold_seq int, user_id int, call_id text, crm_entity_type text,
      crm_entity_id bigint, phone_number text, started_at timestamptz)
    ON CONFLICT (portal, user_id, call_key, hold_seq) DO UPDATE SET started_at = EXCLUDED.started_at,
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
    ON CONFLICT (portal, user_id, call_key, hold_seq) DO UPDATE SET
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
    ON CONFLICT (portal, user_id, call_key, hold_seq) DO UPDATE SET failed = true;
  END IF;

  -- ... and a failed resume reopens the hold, unless an end later than the failure came.
  IF jsonb_array_length(p->'failedResume') > 0 THEN
    UPDATE holds SET ended_at = NULL, held_ms = NULL, ended_by = NULL
    FROM jsonb_to_recordset(p->'failedResume') AS h(portal text, user_id int, call_key text, hold_seq int, started_at timestamptz)
    WHERE holds.portal = h.portal AND holds.user_id = h.user_id AND holds.call_key = h.call_key AND holds.hold_seq = h.hold_seq
      AND holds.ended_at < h.started_at;
  END IF;

  UPDATE calls c SET first_hold_at = (SELECT min(h.started_at) FROM holds h
    WHERE h.portal = c.portal AND h.user_id = c.user_id AND h.call_key = c.call_key AND NOT h.failed)
  FROM jsonb_to_recordset(p->'callKeys') AS k(portal text, user_id int, call_key text)
  WHERE c.portal = k.portal AND c.user_id = k.user_id AND c.call_key = k.call_key;

  -- The quarters the rows sat in before and sit in now wait for the next refresh.
  INSERT INTO stale_quarters (portal, kind, user_id, bucket)
  SELECT DISTINCT b->>'portal', b->>'kind', (b->>'user_id')::int, (b->>'bucket')::timestamptz
  FROM jsonb_array_elements(was || hold_relay_quarters_of(p->'holds', p->'callKeys')) AS b;

  -- One notice per portal whose holds changed, delivered by PostgreSQL when the transaction commits.
  PERFORM pg_notify(p->>'channel', portal) FROM jsonb_array_elements_text(COALESCE(p->'notify', '[]'::jsonb)) AS portal;
END
$$;

-- $1 as in 004, plus "day": the UTC day by the server's clock ("YYYY-MM-DD"), for the quota.
-- Returns {"fresh": [[portal, user_id, id], ...], "queued": n, "used": {portal: events stored that day}}.
CREATE OR REPLACE FUNCTION hold_relay_ingest(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  fresh jsonb;
  queued integer := 0;
  used jsonb;
BEGIN
  -- The first copy of each new event of its user; a later copy (another frame, a retry) is a duplicate.
  WITH incoming AS (
    SELECT x.e, x.ord, x.e->>'portal' AS portal, (x.e->>'user_id')::int AS user_id, x.e->>'id' AS id
    FROM jsonb_array_elements(p->'events') WITH ORDINALITY AS x(e, ord)
  ), stored AS (
    INSERT INTO events (portal, event_id, type, user_id, call_key, occurred_at, data)
    SELECT portal, id, e->>'type', user_id, e->>'call_key', (e->>'at')::timestamptz, e->'data'
    -- In key order, so groups stored at once never wait on each other in a circle.
    FROM incoming ORDER BY portal, user_id, id
    ON CONFLICT (portal, user_id, event_id) DO NOTHING
    RETURNING portal, user_id, event_id
  )
  SELECT COALESCE(jsonb_agg(first.e ORDER BY first.ord), '[]'::jsonb) INTO fresh
  FROM (SELECT DISTINCT ON (portal, user_id, id) e, ord, portal, user_id, id FROM incoming ORDER BY portal, user_id, id, ord) AS first
  JOIN stored ON stored.portal = first.portal AND stored.user_id = first.user_id AND stored.event_id = first.id;

  IF jsonb_array_length(fresh) = 0 THEN
    RETURN jsonb_build_object('fresh', '[]'::jsonb, 'queued', 0, 'used', '{}'::jsonb);
  END IF;

  -- The rules' input: one row per hold and kind of change, sorted by key so concurrent writers lock
  -- rows in one order.
  PERFORM hold_relay_apply((
    WITH f AS (
      SELECT x.e->>'type' AS type, (x.e->'data'->>'held')::boolean AS held, x.e->'hold' AS hold, x.ord,
             x.e->>'portal' AS portal, x.e->>'call_key' AS call_key, (x.e->>'hold_seq')::int AS hold_seq,
             (x.e->>'user_id')::int AS user_id, (x.e->>'at')::timestamptz AS at
      FROM jsonb_array_elements(fresh) WITH ORDINALITY AS x(e, ord)
    ), calls AS (
      SELECT portal, user_id, call_key, min(at) AS first_at, max(at) AS last_at
      FROM f GROUP BY portal, user_id, call_key
    )
    SELECT jsonb_build_object(
      'calls', (SELECT COALESCE(jsonb_agg(to_jsonb(c) ORDER BY c.portal, c.user_id, c.call_key), '[]'::jsonb) FROM calls c),
      'started', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.started'
        ORDER BY portal, user_id, call_key, hold_seq, ord) AS h),
      -- The latest end wins.
      'ended', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.ended'
        ORDER BY portal, user_id, call_key, hold_seq, (hold->>'ended_at')::timestamptz DESC, ord) AS h),
      'failedStart', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND NOT held
        ORDER BY portal, user_id, call_key, hold_seq, ord) AS h),
      -- The latest failed resume wins.
      'failedResume', (SELECT COALESCE(jsonb_agg(h.hold ORDER BY h.portal, h.user_id, h.call_key, h.hold_seq), '[]'::jsonb) FROM (
        SELECT DISTINCT ON (portal, user_id, call_key, hold_seq) * FROM f WHERE type = 'hold.failed' AND held
        ORDER BY portal, user_id, call_key, hold_seq, (hold->>'started_at')::timestamptz DESC, ord) AS h),
      'holds', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'user_id', user_id, 'call_key', call_key, 'hold_seq', hold_seq)
                  ORDER BY portal, user_id, call_key, hold_seq), '[]'::jsonb)
                FROM (SELECT DISTINCT portal, user_id, call_key, hold_seq FROM f WHERE type <> 'call.summary') AS k),
      'callKeys', (SELECT COALESCE(jsonb_agg(jsonb_build_object('portal', portal, 'user_id', user_id, 'call_key', call_key)
                     ORDER BY portal, user_id, call_key), '[]'::jsonb)
                   FROM calls),
      'channel', p->'channel',
      'notify', (SELECT COALESCE(jsonb_agg(DISTINCT portal), '[]'::jsonb) FROM f WHERE type <> 'call.summary')
    )
  ));

  -- Queued for every webhook of their portal that takes their type and is not stopped, unless a
  -- confirming one gets them through /api/confirm or they are older than the webhook keeps trying.
  WITH added AS (
    INSERT INTO webhook_deliveries (webhook_id, user_id, event_id, event_type, call_key, occurred_at, hold_seq, type_rank, body)
    SELECT w.id, e.user_id, e.id, e.type, e.user_id || E'\n' || e.call_key, e.at, e.hold_seq, e.type_rank, e.body
    FROM jsonb_to_recordset(fresh) AS e(portal text, user_id int, id text, type text, call_key text, at timestamptz, hold_seq int, type_rank smallint, body text)
    JOIN webhooks w ON w.portal = e.portal AND e.type = ANY(w.event_types) AND w.stopped_at IS NULL
    WHERE NOT (w.confirm AND e.type IN (SELECT jsonb_array_elements_text(p->'confirmed')))
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
    SELECT x.e->>'portal', (p->>'day')::date, count(*) FROM jsonb_array_elements(fresh) AS x(e) GROUP BY 1 ORDER BY 1
    ON CONFLICT (portal, day) DO UPDATE SET events = event_quota.events + EXCLUDED.events
    RETURNING portal, events
  )
  SELECT COALESCE(jsonb_object_agg(portal, events), '{}'::jsonb) INTO used FROM counted;

  RETURN jsonb_build_object(
    'fresh', (SELECT jsonb_agg(jsonb_build_array(x.e->>'portal', (x.e->>'user_id')::int, x.e->>'id')) FROM jsonb_array_elements(fresh) AS x(e)),
    'queued', queued,
    'used', used
  );
END
$$;
