-- Hold statistics. A portal is named by its domain (host[:port]), as the verified request named it.

-- Every event as received, once per (portal, event id): the idempotency key and the audit trail.
CREATE TABLE events (
  portal      text        NOT NULL,
  event_id    text        NOT NULL,
  type        text        NOT NULL,
  user_id     integer     NOT NULL,
  call_key    text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  data        jsonb       NOT NULL,
  PRIMARY KEY (portal, event_id)
);
CREATE INDEX events_occurred_at ON events (occurred_at);

-- One row per hold, kept at ingest so reports never read the events. call_key is the call id, or
-- for a hold clicked before the card named its call, the user and the moment the hold began.
CREATE TABLE holds (
  portal          text        NOT NULL,
  call_key        text        NOT NULL,
  hold_seq        integer     NOT NULL,
  user_id         integer     NOT NULL,
  call_id         text,
  started_at      timestamptz,
  ended_at        timestamptz,
  held_ms         bigint,
  ended_by        text CHECK (ended_by IN ('resume', 'hangup', 'close')),
  failed          boolean     NOT NULL DEFAULT false,
  crm_entity_type text,
  crm_entity_id   bigint,
  phone_number    text,
  PRIMARY KEY (portal, call_key, hold_seq)
);
CREATE INDEX holds_period ON holds (portal, started_at) INCLUDE (user_id, held_ms, ended_at, ended_by, failed, call_key);
CREATE INDEX holds_longest ON holds (portal, held_ms DESC NULLS LAST, started_at DESC);
CREATE INDEX holds_open ON holds (portal, started_at) WHERE ended_at IS NULL AND NOT failed;

-- One row per call: who took it, and the first and last event seen of it.
CREATE TABLE calls (
  portal   text        NOT NULL,
  call_key text        NOT NULL,
  user_id  integer     NOT NULL,
  first_at timestamptz NOT NULL,
  last_at  timestamptz NOT NULL,
  PRIMARY KEY (portal, call_key)
);
CREATE INDEX calls_period ON calls (portal, first_at) INCLUDE (last_at, user_id);

-- The portal's placement-error notices (the worker's registration was switched off).
CREATE TABLE placement_errors (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  portal      text,
  member_id   text,
  error       text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  placement   text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX placement_errors_portal ON placement_errors (portal, received_at);
CREATE INDEX placement_errors_member ON placement_errors (member_id, received_at);
