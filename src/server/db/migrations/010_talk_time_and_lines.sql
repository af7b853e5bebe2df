-- Talk time per call, a line dimension in the sums, and per-quarter histograms of hold lengths.
--
-- A call (per operator: portal, user, call) keeps when it was connected and how long it was talked
-- (from call.summary), the line its events name, and the held time of its ended holds. A hold keeps
-- the line its own events name. When events disagree, the smallest line and answer time and the
-- longest talk win, so the rows are the same whatever order the events came in.
--
-- The sums gain the line ('' for none): hold_quarters and hold_days per (quarter or day, user, line),
-- portal_quarters per (quarter, line), call_quarters and call_days per (quarter or day, user, line)
-- with the talk of the calls whose talk time is known (talked, talk_ms) and the held time of those
-- same calls (talk_held_ms), so hold share never counts held time of calls without a known talk.
--
-- held_bins, held_bin_holds and held_bin_ms are a histogram of the ended holds' lengths: the bins
-- that have holds (see hold_relay_bin), in order, how many holds each has, and their lengths added up. Medians and the 90th percentile are read
-- from them (src/server/holds/hold-lengths.ts): a bin's middle is never more than 1 s (below 20 s)
-- or 4.5% (above) from any length in it, and a bin of one hold gives that hold's exact length.
--
-- The sums are defined once: the views hold_sum_rows and call_sum_rows say what one hold and one call
-- add (the "ended with call" rule among them), and hold_relay_hold_sums, hold_relay_call_sums and the
-- day sums (012) add them up; the refresh, the rebuild and the report's rows at the period's ends read them.

ALTER TABLE holds ADD COLUMN line_number text;
ALTER TABLE calls ADD COLUMN line_number text, ADD COLUMN answered_at timestamptz, ADD COLUMN talk_ms bigint, ADD COLUMN held_ms bigint;

ALTER TABLE hold_quarters ADD COLUMN line_number text NOT NULL DEFAULT '', ADD COLUMN held_bins integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN held_bin_holds integer[] NOT NULL DEFAULT '{}', ADD COLUMN held_bin_ms bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE hold_quarters DROP CONSTRAINT hold_quarters_pkey, ADD PRIMARY KEY (portal, bucket, user_id, line_number);
ALTER TABLE hold_days ADD COLUMN line_number text NOT NULL DEFAULT '', ADD COLUMN held_bins integer[] NOT NULL DEFAULT '{}',
  ADD COLUMN held_bin_holds integer[] NOT NULL DEFAULT '{}', ADD COLUMN held_bin_ms bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE hold_days DROP CONSTRAINT hold_days_pkey, ADD PRIMARY KEY (portal, bucket, user_id, line_number);
ALTER TABLE portal_quarters ADD COLUMN line_number text NOT NULL DEFAULT '';
ALTER TABLE portal_quarters DROP CONSTRAINT portal_quarters_pkey, ADD PRIMARY KEY (portal, bucket, line_number);
ALTER TABLE call_quarters ADD COLUMN line_number text NOT NULL DEFAULT '', ADD COLUMN talked integer NOT NULL DEFAULT 0,
  ADD COLUMN talk_ms bigint NOT NULL DEFAULT 0, ADD COLUMN talk_held_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE call_quarters DROP CONSTRAINT call_quarters_pkey, ADD PRIMARY KEY (portal, bucket, user_id, line_number);
ALTER TABLE call_days ADD COLUMN line_number text NOT NULL DEFAULT '', ADD COLUMN talked integer NOT NULL DEFAULT 0,
  ADD COLUMN talk_ms bigint NOT NULL DEFAULT 0, ADD COLUMN talk_held_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE call_days DROP CONSTRAINT call_days_pkey, ADD PRIMARY KEY (portal, bucket, user_id, line_number);

-- The day histograms again, per operator over every line and per line over every operator: a report
-- of every line reads these (about 1,600 rows for a month) instead of one per operator and line
-- (4,400), and adds up each operator's and line's lengths from them. A day without an ended hold has
-- no row. Both are recomputed from hold_days, the lines' once per refresh (see stale_quarters below).
CREATE TABLE hold_user_days (
  portal         text        NOT NULL,
  bucket         timestamptz NOT NULL,
  user_id        integer     NOT NULL,
  held_bins      integer[]   NOT NULL,
  held_bin_holds integer[]   NOT NULL,
  held_bin_ms    bigint[]    NOT NULL,
  PRIMARY KEY (portal, bucket, user_id)
);
CREATE TABLE hold_line_days (
  portal         text        NOT NULL,
  bucket         timestamptz NOT NULL,
  line_number    text        NOT NULL,
  held_bins      integer[]   NOT NULL,
  held_bin_holds integer[]   NOT NULL,
  held_bin_ms    bigint[]    NOT NULL,
  PRIMARY KEY (portal, bucket, line_number)
);

-- The bin of a hold length: 2 s wide below 20 s (bins 0 to 9), then each 9% wider than the one before.
-- src/server/holds/hold-lengths.ts reads the bins back; the two must change together.
CREATE FUNCTION hold_relay_bin(ms bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN ms < 20000 THEN (GREATEST(ms, 0) / 2000)::integer ELSE 10 + floor(ln(ms / 20000.0) / ln(1.09))::integer END
$$;

-- What one hold adds to the sums. A failed hold never happened; lengths count ended holds only.
CREATE VIEW hold_sum_rows AS
  SELECT portal, user_id, COALESCE(line_number, '') AS line_number, call_key, started_at AS at,
         (ended_at IS NOT NULL)::integer AS ended,
         CASE WHEN ended_at IS NULL THEN 0 ELSE held_ms END AS held_ms,
         CASE WHEN ended_by IN ('hangup', 'close') THEN 1 ELSE 0 END AS ended_with_call,
         CASE WHEN ended_at IS NULL THEN NULL ELSE hold_relay_bin(held_ms) END AS bin
  FROM holds WHERE NOT failed AND started_at IS NOT NULL;

-- What one call adds: its talk only when known, and then the held time of its own ended holds.
CREATE VIEW call_sum_rows AS
  SELECT portal, user_id, COALESCE(line_number, '') AS line_number, call_key, first_at, first_hold_at, last_at,
         (talk_ms IS NOT NULL)::integer AS talked, COALESCE(talk_ms, 0) AS talk_ms,
         CASE WHEN talk_ms IS NULL THEN 0 ELSE COALESCE(held_ms, 0) END AS talk_held_ms
  FROM calls;

-- The portal-wide quarter sums (for days and hours) of [p_from, p_to).
CREATE FUNCTION hold_relay_portal_sums(p_portal text, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (bucket timestamptz, line_number text, holds integer, held_ms bigint)
LANGUAGE sql STABLE AS $$
  SELECT q.bucket, q.line_number, sum(q.holds)::integer, sum(q.held_ms)::bigint
  FROM hold_quarters q WHERE q.portal = p_portal AND q.bucket >= p_from AND q.bucket < p_to
  GROUP BY 1, 2
$$;

-- A call's first hold and the held time of its ended holds, from its holds: brings those of the
-- given calls (one key per call) up to date, one index range each (a lateral aggregate: a join to a
-- grouped view would be planned as a pass over every hold).
CREATE FUNCTION hold_relay_call_holds(p_portals text[], p_users integer[], p_calls text[]) RETURNS void LANGUAGE sql AS $$
  UPDATE calls c SET first_hold_at = h.first_hold_at, held_ms = h.held_ms
  FROM unnest(p_portals, p_users, p_calls) AS k(portal, user_id, call_key)
  CROSS JOIN LATERAL (
    SELECT min(r.at) AS first_hold_at, sum(r.held_ms)::bigint AS held_ms FROM hold_sum_rows r
    WHERE r.portal = k.portal AND r.user_id = k.user_id AND r.call_key = k.call_key) AS h
  WHERE c.portal = k.portal AND c.user_id = k.user_id AND c.call_key = k.call_key
$$;

-- Recomputes the day histograms of the given operators on the given days from hold_days (arrays,
-- never null: a null meaning "all" would make the plan a pass over every day's rows).
CREATE FUNCTION hold_relay_user_day_histograms(p_portal text, p_days timestamptz[], p_users integer[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM hold_user_days q WHERE q.portal = p_portal AND q.bucket = ANY(p_days) AND q.user_id = ANY(p_users);
  INSERT INTO hold_user_days (portal, bucket, user_id, held_bins, held_bin_holds, held_bin_ms)
  SELECT p_portal, b.bucket, b.user_id, array_agg(b.bin ORDER BY b.bin), array_agg(b.n ORDER BY b.bin), array_agg(b.ms ORDER BY b.bin)
  FROM (SELECT q.bucket, q.user_id, u.bin, sum(u.n)::integer AS n, sum(u.ms)::bigint AS ms
        FROM hold_days q CROSS JOIN LATERAL unnest(q.held_bins, q.held_bin_holds, q.held_bin_ms) AS u(bin, n, ms)
        WHERE q.portal = p_portal AND q.bucket = ANY(p_days) AND q.user_id = ANY(p_users)
        GROUP BY 1, 2, 3) AS b
  GROUP BY 2, 3;
$$;

-- Recomputes the day histograms of every line on the given days from hold_days.
CREATE FUNCTION hold_relay_line_day_histograms(p_portal text, p_days timestamptz[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM hold_line_days q WHERE q.portal = p_portal AND q.bucket = ANY(p_days);
  INSERT INTO hold_line_days (portal, bucket, line_number, held_bins, held_bin_holds, held_bin_ms)
  SELECT p_portal, b.bucket, b.line_number, array_agg(b.bin ORDER BY b.bin), array_agg(b.n ORDER BY b.bin), array_agg(b.ms ORDER BY b.bin)
  FROM (SELECT q.bucket, q.line_number, u.bin, sum(u.n)::integer AS n, sum(u.ms)::bigint AS ms
        FROM hold_days q CROSS JOIN LATERAL unnest(q.held_bins, q.held_bin_holds, q.held_bin_ms) AS u(bin, n, ms)
        WHERE q.portal = p_portal AND q.bucket = ANY(p_days)
        GROUP BY 1, 2, 3) AS b
  GROUP BY 2, 3;
$$;

-- A day whose lines' histograms wait for the end of a refresh: every operator's quarters of a day
-- change in one pass, and the lines' histograms add up all of them, so they are recomputed once,
-- when no hold quarter is left (user_id 0).
ALTER TABLE stale_quarters DROP CONSTRAINT stale_quarters_kind_check;
ALTER TABLE stale_quarters ADD CONSTRAINT stale_quarters_kind_check CHECK (kind IN ('holds', 'calls', 'line-days'));

-- Recomputes at most max_quarters of a portal's stale quarters, and the days and
-- portal-wide quarters they sit in; returns how many it took. A quarter's rows (one per line) are
-- replaced whole, one index range each, so a line that left a quarter leaves no row behind.
CREATE OR REPLACE FUNCTION hold_relay_refresh(p_portal text, max_quarters integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  hold_users integer[];
  hold_buckets timestamptz[];
  call_users integer[];
  call_buckets timestamptz[];
  days timestamptz[];
  taken integer;
BEGIN
  PERFORM hold_relay_lock_sums(p_portal);
  WITH pick AS (
    SELECT DISTINCT kind, user_id, bucket
    FROM (SELECT kind, user_id, bucket FROM stale_quarters WHERE portal = p_portal AND kind <> 'line-days' ORDER BY id LIMIT max_quarters * 8) AS first_noted
    LIMIT max_quarters
  ), gone AS (
    DELETE FROM stale_quarters s USING pick
    WHERE s.portal = p_portal AND s.kind = pick.kind AND s.user_id = pick.user_id AND s.bucket = pick.bucket
    RETURNING s.kind, s.user_id, s.bucket
  ), quarters AS (
    SELECT DISTINCT kind, user_id, bucket FROM gone
  )
  SELECT array_agg(user_id) FILTER (WHERE kind = 'holds'), array_agg(bucket) FILTER (WHERE kind = 'holds'),
         array_agg(user_id) FILTER (WHERE kind = 'calls'), array_agg(bucket) FILTER (WHERE kind = 'calls'), count(*)
    INTO hold_users, hold_buckets, call_users, call_buckets, taken
  FROM quarters;

  IF hold_users IS NOT NULL THEN
    DELETE FROM hold_quarters q USING unnest(hold_users, hold_buckets) AS b(user_id, bucket)
    WHERE q.portal = p_portal AND q.user_id = b.user_id AND q.bucket = b.bucket;
    INSERT INTO hold_quarters (portal, bucket, user_id, line_number, holds, ended, held_ms, longest_ms, ended_with_call, held_bins, held_bin_holds, held_bin_ms)
    SELECT p_portal, s.bucket, s.user_id, s.line_number, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call, s.held_bins, s.held_bin_holds, s.held_bin_ms
    FROM unnest(hold_users, hold_buckets) AS b(user_id, bucket)
    CROSS JOIN LATERAL hold_relay_hold_sums(p_portal, b.user_id, b.bucket, b.bucket + interval '15 minutes') AS s;

    DELETE FROM hold_days q USING (SELECT DISTINCT user_id, day_of(bucket) AS day FROM unnest(hold_users, hold_buckets) AS b(user_id, bucket)) AS d
    WHERE q.portal = p_portal AND q.user_id = d.user_id AND q.bucket = d.day;
    INSERT INTO hold_days (portal, bucket, user_id, line_number, holds, ended, held_ms, longest_ms, ended_with_call, held_bins, held_bin_holds, held_bin_ms)
    SELECT p_portal, s.bucket, s.user_id, s.line_number, s.holds, s.ended, s.held_ms, s.longest_ms, s.ended_with_call, s.held_bins, s.held_bin_holds, s.held_bin_ms
    FROM (SELECT DISTINCT user_id, day_of(bucket) AS day FROM unnest(hold_users, hold_buckets) AS b(user_id, bucket)) AS d
    CROSS JOIN LATERAL hold_relay_hold_day_sums(p_portal, d.user_id, d.day, d.day + interval '1 day') AS s;
    SELECT array_agg(DISTINCT day_of(b)) INTO days FROM unnest(hold_buckets) AS b;
    PERFORM hold_relay_user_day_histograms(p_portal, days, hold_users);
    INSERT INTO stale_quarters (portal, kind, user_id, bucket)
    SELECT p_portal, 'line-days', 0, d FROM unnest(days) AS d
    WHERE NOT EXISTS (SELECT 1 FROM stale_quarters s WHERE s.portal = p_portal AND s.kind = 'line-days' AND s.user_id = 0 AND s.bucket = d);

    DELETE FROM portal_quarters q USING (SELECT DISTINCT bucket FROM unnest(hold_buckets) AS b(bucket)) AS b
    WHERE q.portal = p_portal AND q.bucket = b.bucket;
    INSERT INTO portal_quarters (portal, bucket, line_number, holds, held_ms)
    SELECT p_portal, s.bucket, s.line_number, s.holds, s.held_ms
    FROM (SELECT DISTINCT bucket FROM unnest(hold_buckets) AS b(bucket)) AS b
    CROSS JOIN LATERAL hold_relay_portal_sums(p_portal, b.bucket, b.bucket + interval '15 minutes') AS s;
  END IF;

  IF call_users IS NOT NULL THEN
    DELETE FROM call_quarters q USING unnest(call_users, call_buckets) AS b(user_id, bucket)
    WHERE q.portal = p_portal AND q.user_id = b.user_id AND q.bucket = b.bucket;
    INSERT INTO call_quarters (portal, bucket, user_id, line_number, calls, calls_with_holds, talked, talk_ms, talk_held_ms)
    SELECT p_portal, s.bucket, s.user_id, s.line_number, s.calls, s.calls_with_holds, s.talked, s.talk_ms, s.talk_held_ms
    FROM unnest(call_users, call_buckets) AS b(user_id, bucket)
    CROSS JOIN LATERAL hold_relay_call_sums(p_portal, b.user_id, b.bucket, b.bucket + interval '15 minutes') AS s;

    DELETE FROM call_days q USING (SELECT DISTINCT user_id, day_of(bucket) AS day FROM unnest(call_users, call_buckets) AS b(user_id, bucket)) AS d
    WHERE q.portal = p_portal AND q.user_id = d.user_id AND q.bucket = d.day;
    INSERT INTO call_days (portal, bucket, user_id, line_number, calls, calls_with_holds, talked, talk_ms, talk_held_ms)
    SELECT p_portal, s.bucket, s.user_id, s.line_number, s.calls, s.calls_with_holds, s.talked, s.talk_ms, s.talk_held_ms
    FROM (SELECT DISTINCT user_id, day_of(bucket) AS day FROM unnest(call_users, call_buckets) AS b(user_id, bucket)) AS d
    CROSS JOIN LATERAL hold_relay_call_day_sums(p_portal, d.user_id, d.day, d.day + interval '1 day') AS s;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM stale_quarters WHERE portal = p_portal AND kind = 'holds') THEN
    WITH gone AS (DELETE FROM stale_quarters WHERE portal = p_portal AND kind = 'line-days' RETURNING bucket)
    SELECT array_agg(DISTINCT bucket) INTO days FROM gone;
    IF days IS NOT NULL THEN
      PERFORM hold_relay_line_day_histograms(p_portal, days);
    END IF;
  END IF;

  RETURN taken;
END
$$;

-- The rows hold_relay_apply (013) writes, declared once: ingest's JSON is read as these types.
CREATE TYPE hold_relay_hold_row AS (portal text, call_key text, hold_seq integer, user_id integer, call_id text, crm_entity_type text,
  crm_entity_id bigint, phone_number text, line_number text, started_at timestamptz, ended_at timestamptz, held_ms bigint, ended_by text);
CREATE TYPE hold_relay_call_row AS (portal text, user_id integer, call_key text, first_at timestamptz, last_at timestamptz,
  line_number text, answered_at timestamptz, talk_ms bigint);

-- The rows stored before: each hold and call takes the line (and each call the answer time and
-- talk) its stored events name, then every portal's sums are recomputed with the lines and histograms
-- (by 012, which defines the sums, in the same transaction: the portals wait in a table until then).
UPDATE holds h SET line_number = e.line_number
FROM (SELECT portal, user_id, call_key, (data->>'holdSeq')::integer AS hold_seq, min(NULLIF(data->>'lineNumber', '')) AS line_number
      FROM events WHERE type <> 'call.summary' AND call_key IS NOT NULL AND data ? 'lineNumber' GROUP BY 1, 2, 3, 4) AS e
WHERE h.portal = e.portal AND h.user_id = e.user_id AND h.call_key = e.call_key AND h.hold_seq = e.hold_seq AND e.line_number IS NOT NULL;

UPDATE calls c SET line_number = e.line_number, answered_at = e.answered_at, talk_ms = e.talk_ms
FROM (SELECT portal, user_id, call_key, min(NULLIF(data->>'lineNumber', '')) AS line_number,
             min((data->>'answeredAt')::timestamptz) FILTER (WHERE type = 'call.summary') AS answered_at,
             max((data->>'talkMs')::bigint) FILTER (WHERE type = 'call.summary') AS talk_ms
      FROM events WHERE call_key IS NOT NULL GROUP BY 1, 2, 3) AS e
WHERE c.portal = e.portal AND c.user_id = e.user_id AND c.call_key = e.call_key;

CREATE TEMPORARY TABLE hold_relay_rebuild_after_010 ON COMMIT DROP AS SELECT portal FROM holds UNION SELECT portal FROM calls;
