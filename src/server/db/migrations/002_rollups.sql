-- Quarter-hour sums kept beside the holds and calls, so a report over months reads a few thousand
-- rows instead of every hold. Every time zone's midnight falls on a quarter hour, so the sums add
-- up to exact days in any zone. Triggers keep them right whatever order events arrive in; a
-- transaction that sets hold_relay.bulk = 'on' (purges, deletions, seeding) maintains them itself.

ALTER TABLE calls ADD COLUMN first_hold_at timestamptz;
CREATE INDEX calls_first_hold ON calls (portal, first_hold_at) WHERE first_hold_at IS NOT NULL;

CREATE TABLE hold_quarters (
  portal          text        NOT NULL,
  bucket          timestamptz NOT NULL,
  user_id         integer     NOT NULL,
  holds           integer     NOT NULL,
  ended           integer     NOT NULL,
  held_ms         bigint      NOT NULL,
  longest_ms      bigint      NOT NULL,
  ended_with_call integer     NOT NULL,
  PRIMARY KEY (portal, bucket, user_id)
);

CREATE TABLE call_quarters (
  portal           text        NOT NULL,
  bucket           timestamptz NOT NULL,
  user_id          integer     NOT NULL,
  calls            integer     NOT NULL,
  calls_with_holds integer     NOT NULL,
  PRIMARY KEY (portal, bucket, user_id)
);

CREATE FUNCTION quarter_of(at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
  $$ SELECT date_bin('15 minutes', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;

CREATE FUNCTION refresh_hold_quarter(p text, u integer, b timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM hold_quarters WHERE portal = p AND bucket = b AND user_id = u;
  INSERT INTO hold_quarters
  SELECT p, b, u, count(*), count(ended_at), COALESCE(sum(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0),
         COALESCE(max(held_ms) FILTER (WHERE ended_at IS NOT NULL), 0), count(*) FILTER (WHERE ended_by IN ('hangup', 'close'))
  FROM holds
  WHERE portal = p AND started_at >= b AND started_at < b + interval '15 minutes' AND user_id = u AND NOT failed
  HAVING count(*) > 0;
END $$;

CREATE FUNCTION refresh_call_quarter(p text, u integer, b timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM call_quarters WHERE portal = p AND bucket = b AND user_id = u;
  INSERT INTO call_quarters
  SELECT p, b, u,
         (SELECT count(*) FROM calls WHERE portal = p AND user_id = u AND first_at >= b AND first_at < b + interval '15 minutes'),
         (SELECT count(*) FROM calls WHERE portal = p AND user_id = u AND first_hold_at >= b AND first_hold_at < b + interval '15 minutes')
  WHERE EXISTS (SELECT 1 FROM calls WHERE portal = p AND user_id = u AND first_at >= b AND first_at < b + interval '15 minutes')
     OR EXISTS (SELECT 1 FROM calls WHERE portal = p AND user_id = u AND first_hold_at >= b AND first_hold_at < b + interval '15 minutes');
END $$;

CREATE FUNCTION holds_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('hold_relay.bulk', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' AND OLD.started_at IS NOT NULL THEN
    PERFORM refresh_hold_quarter(OLD.portal, OLD.user_id, quarter_of(OLD.started_at));
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.started_at IS NOT NULL
     AND (TG_OP <> 'UPDATE' OR OLD.started_at IS NULL OR OLD.user_id <> NEW.user_id OR quarter_of(OLD.started_at) <> quarter_of(NEW.started_at)) THEN
    PERFORM refresh_hold_quarter(NEW.portal, NEW.user_id, quarter_of(NEW.started_at));
  END IF;
  UPDATE calls c SET first_hold_at = (SELECT min(h.started_at) FROM holds h WHERE h.portal = c.portal AND h.call_key = c.call_key AND NOT h.failed)
  WHERE c.portal = COALESCE(NEW.portal, OLD.portal) AND c.call_key = COALESCE(NEW.call_key, OLD.call_key);
  RETURN NULL;
END $$;

CREATE FUNCTION calls_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('hold_relay.bulk', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' AND OLD.first_at = NEW.first_at AND OLD.first_hold_at IS NOT DISTINCT FROM NEW.first_hold_at AND OLD.user_id = NEW.user_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM refresh_call_quarter(OLD.portal, OLD.user_id, quarter_of(OLD.first_at));
    IF OLD.first_hold_at IS NOT NULL THEN PERFORM refresh_call_quarter(OLD.portal, OLD.user_id, quarter_of(OLD.first_hold_at)); END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM refresh_call_quarter(NEW.portal, NEW.user_id, quarter_of(NEW.first_at));
    IF NEW.first_hold_at IS NOT NULL THEN PERFORM refresh_call_quarter(NEW.portal, NEW.user_id, quarter_of(NEW.first_hold_at)); END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER holds_rollup AFTER INSERT OR UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_changed();
CREATE TRIGGER calls_rollup AFTER INSERT OR UPDATE OR DELETE ON calls FOR EACH ROW EXECUTE FUNCTION calls_changed();
