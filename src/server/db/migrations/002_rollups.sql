-- Sums kept beside the holds and calls, so a report over months reads a few thousand rows instead
-- of every hold: per operator for each quarter hour and each UTC day, and per portal for each
-- quarter hour (for days). Every time zone's midnight falls on a quarter hour, so the sums add up
-- to exact days in any zone. calls.first_hold_at is the call's earliest hold. (How the sums are kept
-- up to date is in 004: ingest notes the quarters it moved, and a refresh recomputes them.)

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

CREATE TABLE hold_days (LIKE hold_quarters INCLUDING ALL);
CREATE INDEX hold_quarters_user ON hold_quarters (portal, user_id, bucket);

CREATE TABLE portal_quarters (
  portal  text        NOT NULL,
  bucket  timestamptz NOT NULL,
  holds   integer     NOT NULL,
  held_ms bigint      NOT NULL,
  PRIMARY KEY (portal, bucket)
);

CREATE TABLE call_quarters (
  portal           text        NOT NULL,
  bucket           timestamptz NOT NULL,
  user_id          integer     NOT NULL,
  calls            integer     NOT NULL,
  calls_with_holds integer     NOT NULL,
  PRIMARY KEY (portal, bucket, user_id)
);

CREATE TABLE call_days (LIKE call_quarters INCLUDING ALL);
CREATE INDEX call_quarters_user ON call_quarters (portal, user_id, bucket);

CREATE FUNCTION quarter_of(at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
  $$ SELECT date_bin('15 minutes', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;
CREATE FUNCTION day_of(at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS
  $$ SELECT date_bin('1 day', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;
