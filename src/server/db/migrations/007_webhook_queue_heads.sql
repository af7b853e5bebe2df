-- The webhook queue keeps its heads and its sizes, so a claim reads only rows it may send.
--
-- A call's events go to a receiver in order: only the first pending row of each (webhook, call)
-- chain may go. Until now a claim found that out by walking every due row and asking whether an
-- earlier one waited (with the receiver down, every row behind a failing head, each time). Now the
-- head of each chain is marked (is_head), and the claim reads the heads that are due, from an index
-- that holds nothing else. The marks are kept by triggers on webhook_deliveries, whichever statement
-- adds, finishes, sends again or deletes a row (ingest, the dispatcher, confirm, "Send again").
--
-- The marks are kept under an advisory lock per chain (and after the webhook's count below, whose row
-- lock serialises the same writers), so two transactions changing one chain (a new event, and an
-- answer for the head) never both miss the other's row. A mark may be left on a row that
-- is no longer first (the row was locked at that moment): the claim still checks that nothing earlier
-- waits, so such a row waits its turn; a row that is first is always marked.
--
-- webhook_queue_sizes counts each webhook's pending rows. Beyond the cap (hold_relay_settings
-- 'webhook_max_pending', written by the server at start), new rows are not queued: the ones a
-- statement added last are deleted again and counted in not_queued, with capped_at.

ALTER TABLE webhook_deliveries ADD COLUMN is_head boolean NOT NULL DEFAULT false;

DROP INDEX IF EXISTS webhook_deliveries_due;
CREATE INDEX webhook_deliveries_heads ON webhook_deliveries (webhook_id, next_attempt_at, id) WHERE status = 'pending' AND is_head;
-- For giving up rows older than their webhook's maxAgeMs, a range per webhook.
CREATE INDEX webhook_deliveries_age ON webhook_deliveries (webhook_id, occurred_at) WHERE status = 'pending';

CREATE TABLE webhook_queue_sizes (
  webhook_id text        PRIMARY KEY REFERENCES webhooks (id) ON DELETE CASCADE,
  pending    integer     NOT NULL DEFAULT 0,
  -- Deliveries not queued because the queue was full, since the webhook was made.
  not_queued bigint      NOT NULL DEFAULT 0,
  capped_at  timestamptz
);

CREATE TABLE hold_relay_settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);

CREATE FUNCTION hold_relay_webhook_max_pending() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT COALESCE((SELECT value::integer FROM hold_relay_settings WHERE name = 'webhook_max_pending'), 10000) $$;

-- Marks the first pending row of each given chain, and unmarks the others, under the chain's lock.
-- Rows another transaction holds are skipped, never waited for: that transaction changes the row's
-- status (and marks its chain again after this one commits) or it is a claim, which only takes
-- marked rows.
CREATE FUNCTION hold_relay_mark_heads(p_webhooks text[], p_calls text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(72240015, k.h)
  FROM (SELECT DISTINCT hashtext(w || E'\n' || c) AS h FROM unnest(p_webhooks, p_calls) AS u(w, c) ORDER BY 1) AS k;

  WITH chain AS (
    SELECT DISTINCT w, c FROM unnest(p_webhooks, p_calls) AS u(w, c)
  ), head AS (
    SELECT chain.w, chain.c, (SELECT e.id FROM webhook_deliveries e
      WHERE e.webhook_id = chain.w AND e.call_key = chain.c AND e.status = 'pending'
      ORDER BY e.occurred_at, e.hold_seq, e.type_rank, e.id LIMIT 1) AS id
    FROM chain
  ), marked AS (
    SELECT d.id FROM webhook_deliveries d WHERE d.id IN (SELECT id FROM head) AND d.status = 'pending' AND NOT d.is_head
    FOR UPDATE SKIP LOCKED
  ), unmarked AS (
    SELECT d.id FROM webhook_deliveries d JOIN head ON d.webhook_id = head.w AND d.call_key = head.c
    WHERE d.status = 'pending' AND d.is_head AND d.id IS DISTINCT FROM head.id
    FOR UPDATE OF d SKIP LOCKED
  )
  UPDATE webhook_deliveries d SET is_head = d.id IN (SELECT id FROM marked)
  WHERE d.id IN (SELECT id FROM marked UNION ALL SELECT id FROM unmarked);
END
$$;

-- Adds each delta to its webhook's count of pending rows, in key order.
CREATE FUNCTION hold_relay_count_pending(p_webhooks text[], p_deltas integer[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  q record;
BEGIN
  FOR q IN SELECT w, d FROM unnest(p_webhooks, p_deltas) AS u(w, d) ORDER BY w LOOP
    INSERT INTO webhook_queue_sizes AS s (webhook_id, pending) VALUES (q.w, GREATEST(q.d, 0))
    ON CONFLICT (webhook_id) DO UPDATE SET pending = GREATEST(s.pending + q.d, 0);
  END LOOP;
END
$$;

CREATE FUNCTION hold_relay_deliveries_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cap integer := hold_relay_webhook_max_pending();
  q record;
  excess integer;
  dropped integer;
BEGIN
  -- Ingest's insert runs whether or not a webhook takes its events: most add nothing.
  IF NOT EXISTS (SELECT 1 FROM added) THEN
    RETURN NULL;
  END IF;
  FOR q IN SELECT webhook_id, count(*)::int AS n FROM added WHERE status = 'pending' GROUP BY webhook_id ORDER BY webhook_id LOOP
    INSERT INTO webhook_queue_sizes AS s (webhook_id, pending) VALUES (q.webhook_id, q.n)
    ON CONFLICT (webhook_id) DO UPDATE SET pending = s.pending + EXCLUDED.pending
    RETURNING s.pending - cap INTO excess;
    IF excess > 0 THEN
      -- The queue is full: what came last is not queued (what waits already keeps its order).
      DELETE FROM webhook_deliveries WHERE id IN (
        SELECT id FROM added WHERE webhook_id = q.webhook_id AND status = 'pending'
        ORDER BY occurred_at DESC, hold_seq DESC, type_rank DESC, id DESC LIMIT excess);
      GET DIAGNOSTICS dropped = ROW_COUNT;
      UPDATE webhook_queue_sizes SET pending = pending - dropped, not_queued = not_queued + dropped, capped_at = now()
      WHERE webhook_id = q.webhook_id;
    END IF;
  END LOOP;
  PERFORM hold_relay_mark_heads(array_agg(webhook_id), array_agg(call_key))
  FROM (SELECT DISTINCT webhook_id, call_key FROM added WHERE status = 'pending') AS k HAVING count(*) > 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION hold_relay_deliveries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A claim or a retry changes no status: nothing to count or mark.
  IF NOT EXISTS (SELECT 1 FROM old_rows b JOIN new_rows a ON a.id = b.id WHERE a.status <> b.status) THEN
    RETURN NULL;
  END IF;
  PERFORM hold_relay_count_pending(array_agg(webhook_id), array_agg(delta))
  FROM (
    SELECT a.webhook_id, sum((a.status = 'pending')::int - (b.status = 'pending')::int)::int AS delta
    FROM old_rows b JOIN new_rows a ON a.id = b.id
    WHERE a.status <> b.status
    GROUP BY a.webhook_id
  ) AS k
  WHERE delta <> 0 HAVING count(*) > 0;
  PERFORM hold_relay_mark_heads(array_agg(webhook_id), array_agg(call_key))
  FROM (SELECT DISTINCT a.webhook_id, a.call_key FROM old_rows b JOIN new_rows a ON a.id = b.id WHERE a.status <> b.status) AS k
  HAVING count(*) > 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION hold_relay_deliveries_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM hold_relay_count_pending(array_agg(webhook_id), array_agg(-n))
  FROM (SELECT webhook_id, count(*)::int AS n FROM gone WHERE status = 'pending' GROUP BY webhook_id) AS k
  HAVING count(*) > 0;
  PERFORM hold_relay_mark_heads(array_agg(webhook_id), array_agg(call_key))
  FROM (SELECT DISTINCT webhook_id, call_key FROM gone WHERE status = 'pending') AS k
  HAVING count(*) > 0;
  RETURN NULL;
END
$$;

-- The rows queued before this migration.
INSERT INTO webhook_queue_sizes (webhook_id, pending)
SELECT webhook_id, count(*) FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id;
UPDATE webhook_deliveries d SET is_head = true
WHERE d.status = 'pending' AND NOT EXISTS (
  SELECT 1 FROM webhook_deliveries e
  WHERE e.webhook_id = d.webhook_id AND e.call_key = d.call_key AND e.status = 'pending'
    AND (e.occurred_at, e.hold_seq, e.type_rank, e.id) < (d.occurred_at, d.hold_seq, d.type_rank, d.id));

-- Not for rows these functions change themselves (trigger depth 1), nor for a webhook's rows deleted
-- with it (ON DELETE CASCADE runs in a trigger): its chains and its count go with it.
CREATE TRIGGER webhook_deliveries_added AFTER INSERT ON webhook_deliveries REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION hold_relay_deliveries_added();
CREATE TRIGGER webhook_deliveries_changed AFTER UPDATE ON webhook_deliveries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION hold_relay_deliveries_changed();
CREATE TRIGGER webhook_deliveries_gone AFTER DELETE ON webhook_deliveries REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION hold_relay_deliveries_gone();
