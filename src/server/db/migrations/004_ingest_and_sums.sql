-- Ingest and the report sums, in functions the server calls once per group of batches.
--
-- Ingest stores a group in one statement, committed on its own: the events, what the new ones change
-- (hold_relay_apply: calls, holds, each call's first hold, the quarters they moved, the live notice)
-- and their webhook deliveries, all or nothing. Every statement costs a round trip: a network hop to
-- a PostgreSQL server, a message to the embedded database's thread, and on either a turn of the
-- server's event loop, where busy HTTP work makes it wait.
--
-- The sums are brought up to date after ingest, not inside it: ingest notes which quarter-hour
-- sums it moved (stale_quarters); hold_relay_refresh recomputes those, then the days and the
-- portal-wide quarters from them. The server runs it every few seconds and before every period
-- report, so a report always adds up to the rows, and ingest, which operators wait for, does the
-- least work. One refresh per portal at a time (an advisory lock), so sums are never recomputed
-- from a view that misses another refresh's change, also with several servers.
--
-- Each function is kept only in the file that defines it last: hold_relay_quarters_of in 006,
-- hold_relay_refresh in 010, hold_relay_ingest in 011, hold_relay_apply in 013. A server applies every
-- missing file in one transaction before it serves, so no database ever ran an earlier definition
-- once a later file existed, and none is read between the files.

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
