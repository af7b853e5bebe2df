-- Quarter-hour sums kept beside the holds and calls, so a report over months reads a few thousand
-- rows instead of every hold. Every time zone's midnight falls on a quarter hour, so the sums add
-- up to exact days in any zone. Ingest recomputes the quarters each batch touched, in the same
-- transaction; calls.first_hold_at (the call's earliest hold) is kept the same way.

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
