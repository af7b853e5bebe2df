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

-- The quarters the given holds and calls sit in now, as {kind, portal, user_id, bucket} objects,
-- with the user in every key. PL/pgSQL, not a plain SQL function: one that is not inlined is
-- planned again at every call (twice per group); PL/pgSQL keeps its plan for the session.
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
