-- Server-side webhooks: receivers an admin registered for a portal, and a durable delivery queue.

-- The signing secret is kept here as generated (whsec_...): whoever reads this database can sign.
-- During a rotation the previous secret signs as well, until previous_until.
CREATE TABLE webhooks (
  id              text        PRIMARY KEY,
  portal          text        NOT NULL,
  url             text        NOT NULL,
  event_types     text[]      NOT NULL,
  confirm         boolean     NOT NULL DEFAULT false,
  timeout_ms      integer     NOT NULL,
  max_age_ms      bigint      NOT NULL,
  secret          text        NOT NULL,
  previous_secret text,
  previous_until  timestamptz,
  -- Set when the receiver answered 410 Gone: nothing more is sent until an admin sends one again.
  stopped_at      timestamptz,
  stopped_reason  text,
  created_by      integer     NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_portal ON webhooks (portal, created_at);

-- One row per event and receiver. A pending row is due at next_attempt_at; a claim sets
-- lease_token and locked_until, so one server instance at a time sends it. The events of one call
-- go out in the order they happened: (occurred_at, hold_seq, type_rank, id).
CREATE TABLE webhook_deliveries (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  webhook_id      text        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id        text        NOT NULL,
  event_type      text        NOT NULL,
  call_key        text        NOT NULL,
  occurred_at     timestamptz NOT NULL,
  hold_seq        integer     NOT NULL DEFAULT 0,
  type_rank       smallint    NOT NULL DEFAULT 0,
  body            text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'expired')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz,
  lease_token     text,
  last_attempt_at timestamptz,
  last_status     integer,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_call ON webhook_deliveries (webhook_id, call_key, occurred_at, hold_seq, type_rank, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at DESC);

-- Every attempt and the receiver's answer, for the app page's delivery log.
CREATE TABLE webhook_attempts (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  status      integer,
  error       text,
  answer      text,
  duration_ms integer     NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
