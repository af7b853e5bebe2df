-- The sums' rows declared once, as types: the quarter and day sums of holds return hold_relay_hold_sum
-- rows and those of calls hold_relay_call_sum rows (010 spelled each out twice), with the same columns
-- in the same order, so the refresh, the rebuild and the report read them as before.
CREATE TYPE hold_relay_hold_sum AS (bucket timestamptz, user_id integer, line_number text, holds integer, ended integer, held_ms bigint, longest_ms bigint,
  ended_with_call integer, held_bins integer[], held_bin_holds integer[], held_bin_ms bigint[]);
CREATE TYPE hold_relay_call_sum AS (bucket timestamptz, user_id integer, line_number text, calls integer, calls_with_holds integer,
  talked integer, talk_ms bigint, talk_held_ms bigint);

-- A database that had 010 has them with their columns spelled out; a new one gets them only here.
DROP FUNCTION IF EXISTS hold_relay_hold_sums(text, integer, timestamptz, timestamptz), hold_relay_call_sums(text, integer, timestamptz, timestamptz),
  hold_relay_hold_day_sums(text, integer, timestamptz, timestamptz), hold_relay_call_day_sums(text, integer, timestamptz, timestamptz);

-- The quarter sums of a portal's holds started in [p_from, p_to), of one user (null: all).
CREATE FUNCTION hold_relay_hold_sums(p_portal text, p_user integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF hold_relay_hold_sum
LANGUAGE sql STABLE AS $$
  SELECT b.bucket, b.user_id, b.line_number, sum(b.holds)::integer, sum(b.ended)::integer, sum(b.held_ms)::bigint,
         max(b.longest_ms)::bigint, sum(b.ended_with_call)::integer,
         COALESCE(array_agg(b.bin ORDER BY b.bin) FILTER (WHERE b.bin IS NOT NULL), '{}'),
         COALESCE(array_agg(b.ended ORDER BY b.bin) FILTER (WHERE b.bin IS NOT NULL), '{}'),
         COALESCE(array_agg(b.held_ms ORDER BY b.bin) FILTER (WHERE b.bin IS NOT NULL), '{}')
  FROM (
    SELECT quarter_of(r.at) AS bucket, r.user_id, r.line_number, r.bin, count(*)::integer AS holds, sum(r.ended)::integer AS ended,
           sum(r.held_ms)::bigint AS held_ms, max(r.held_ms)::bigint AS longest_ms, sum(r.ended_with_call)::integer AS ended_with_call
    FROM hold_sum_rows r
    WHERE r.portal = p_portal AND r.user_id = COALESCE(p_user, r.user_id) AND r.at >= p_from AND r.at < p_to
    GROUP BY 1, 2, 3, 4
  ) AS b
  GROUP BY 1, 2, 3
$$;

-- The quarter sums of a portal's calls: each counts in the quarter of its first event (with its talk)
-- and, if it had a hold, in the quarter of its first hold.
CREATE FUNCTION hold_relay_call_sums(p_portal text, p_user integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF hold_relay_call_sum
LANGUAGE sql STABLE AS $$
  SELECT quarter_of(x.at), x.user_id, x.line_number, sum(x.calls)::integer, sum(x.with_holds)::integer,
         sum(x.talked)::integer, sum(x.talk_ms)::bigint, sum(x.talk_held_ms)::bigint
  FROM (
    SELECT r.first_at AS at, r.user_id, r.line_number, 1 AS calls, 0 AS with_holds, r.talked, r.talk_ms, r.talk_held_ms
    FROM call_sum_rows r
    WHERE r.portal = p_portal AND r.user_id = COALESCE(p_user, r.user_id) AND r.first_at >= p_from AND r.first_at < p_to
    UNION ALL
    SELECT r.first_hold_at, r.user_id, r.line_number, 0, 1, 0, 0, 0
    FROM call_sum_rows r
    WHERE r.portal = p_portal AND r.user_id = COALESCE(p_user, r.user_id) AND r.first_hold_at >= p_from AND r.first_hold_at < p_to
  ) AS x
  GROUP BY 1, 2, 3
$$;

-- Day sums from the quarter sums of [p_from, p_to) (whole UTC days), of one user (null: all).
CREATE FUNCTION hold_relay_hold_day_sums(p_portal text, p_user integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF hold_relay_hold_sum
LANGUAGE sql STABLE AS $$
  WITH q AS (
    SELECT * FROM hold_quarters q
    WHERE q.portal = p_portal AND q.user_id = COALESCE(p_user, q.user_id) AND q.bucket >= p_from AND q.bucket < p_to
  ), bins AS (
    SELECT day_of(q.bucket) AS day, q.user_id, q.line_number, u.bin, sum(u.n)::integer AS n, sum(u.ms)::bigint AS ms
    FROM q CROSS JOIN LATERAL unnest(q.held_bins, q.held_bin_holds, q.held_bin_ms) AS u(bin, n, ms)
    GROUP BY 1, 2, 3, 4
  ), histograms AS (
    SELECT day, user_id, line_number, array_agg(bin ORDER BY bin) AS bins, array_agg(n ORDER BY bin) AS ns, array_agg(ms ORDER BY bin) AS mss
    FROM bins GROUP BY 1, 2, 3
  )
  SELECT s.day, s.user_id, s.line_number, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call,
         COALESCE(h.bins, '{}'), COALESCE(h.ns, '{}'), COALESCE(h.mss, '{}')
  FROM (SELECT day_of(bucket) AS day, user_id, line_number, sum(holds)::integer AS holds, sum(ended)::integer AS ended,
               sum(held_ms)::bigint AS held_ms, max(longest_ms)::bigint AS longest_ms, sum(ended_with_call)::integer AS ended_with_call
        FROM q GROUP BY 1, 2, 3) AS s
  LEFT JOIN histograms h ON h.day = s.day AND h.user_id = s.user_id AND h.line_number = s.line_number
$$;

CREATE FUNCTION hold_relay_call_day_sums(p_portal text, p_user integer, p_from timestamptz, p_to timestamptz)
RETURNS SETOF hold_relay_call_sum
LANGUAGE sql STABLE AS $$
  SELECT day_of(q.bucket), q.user_id, q.line_number, sum(q.calls)::integer, sum(q.calls_with_holds)::integer,
         sum(q.talked)::integer, sum(q.talk_ms)::bigint, sum(q.talk_held_ms)::bigint
  FROM call_quarters q
  WHERE q.portal = p_portal AND q.user_id = COALESCE(p_user, q.user_id) AND q.bucket >= p_from AND q.bucket < p_to
  GROUP BY 1, 2, 3
$$;

-- Recomputes all of a portal's sums from its rows at once (after a bulk load, to repair them, and
-- below for the rows stored before 010), with the same sums as the refresh. Each sum row is written
-- whole (s.*) into the table's columns named in the type's order.
CREATE OR REPLACE FUNCTION hold_relay_rebuild(p_portal text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM hold_relay_lock_sums(p_portal);
  DELETE FROM stale_quarters WHERE portal = p_portal;
  DELETE FROM hold_quarters WHERE portal = p_portal;
  DELETE FROM hold_days WHERE portal = p_portal;
  DELETE FROM hold_user_days WHERE portal = p_portal;
  DELETE FROM hold_line_days WHERE portal = p_portal;
  DELETE FROM portal_quarters WHERE portal = p_portal;
  DELETE FROM call_quarters WHERE portal = p_portal;
  DELETE FROM call_days WHERE portal = p_portal;
  -- The same figures as hold_relay_call_holds, for every call of the portal in one pass.
  UPDATE calls c SET first_hold_at = h.first_hold_at, held_ms = h.held_ms
  FROM (SELECT user_id, call_key, min(at) AS first_hold_at, sum(held_ms)::bigint AS held_ms FROM hold_sum_rows WHERE portal = p_portal
        GROUP BY user_id, call_key) AS h
  WHERE c.portal = p_portal AND c.user_id = h.user_id AND c.call_key = h.call_key;
  INSERT INTO hold_quarters (portal, bucket, user_id, line_number, holds, ended, held_ms, longest_ms, ended_with_call, held_bins, held_bin_holds, held_bin_ms)
  SELECT p_portal, s.* FROM hold_relay_hold_sums(p_portal, NULL, '-infinity', 'infinity') AS s;
  INSERT INTO hold_days (portal, bucket, user_id, line_number, holds, ended, held_ms, longest_ms, ended_with_call, held_bins, held_bin_holds, held_bin_ms)
  SELECT p_portal, s.* FROM hold_relay_hold_day_sums(p_portal, NULL, '-infinity', 'infinity') AS s;
  PERFORM hold_relay_user_day_histograms(p_portal, d.days, d.users), hold_relay_line_day_histograms(p_portal, d.days)
  FROM (SELECT array_agg(DISTINCT bucket) AS days, array_agg(DISTINCT user_id) AS users FROM hold_days WHERE portal = p_portal) AS d
  WHERE d.days IS NOT NULL;
  INSERT INTO portal_quarters (portal, bucket, line_number, holds, held_ms)
  SELECT p_portal, s.bucket, s.line_number, s.holds, s.held_ms FROM hold_relay_portal_sums(p_portal, '-infinity', 'infinity') AS s;
  INSERT INTO call_quarters (portal, bucket, user_id, line_number, calls, calls_with_holds, talked, talk_ms, talk_held_ms)
  SELECT p_portal, s.* FROM hold_relay_call_sums(p_portal, NULL, '-infinity', 'infinity') AS s;
  INSERT INTO call_days (portal, bucket, user_id, line_number, calls, calls_with_holds, talked, talk_ms, talk_held_ms)
  SELECT p_portal, s.* FROM hold_relay_call_day_sums(p_portal, NULL, '-infinity', 'infinity') AS s;
END
$$;

-- The rows stored before 010, when 010 came in this same transaction: every portal's sums recomputed
-- with the lines and histograms. (A database that had 010 already had them recomputed then.)
DO $$
BEGIN
  IF to_regclass('pg_temp.hold_relay_rebuild_after_010') IS NOT NULL THEN
    PERFORM hold_relay_rebuild(portal) FROM hold_relay_rebuild_after_010;
  END IF;
END
$$;
