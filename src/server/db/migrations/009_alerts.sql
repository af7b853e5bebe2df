-- Hold alerts to supervisors and the morning digest (they need the app's own credentials).
-- alert_settings: one row per portal, as admins set it on the app page.
CREATE TABLE alert_settings (
  portal              text        PRIMARY KEY,
  hold_alert_sec      integer     CHECK (hold_alert_sec BETWEEN 1 AND 14400),
  supervisors         integer[]   NOT NULL DEFAULT '{}',
  on_hangup_while_held boolean    NOT NULL DEFAULT false,
  digest_hour         integer     CHECK (digest_hour BETWEEN 0 AND 23),
  digest_tz           text,
  digest_to           integer[]   NOT NULL DEFAULT '{}',
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- One row per hold and kind of alert, claimed by the one server that sends it: whoever inserts it
-- first. `sent_to` grows as supervisors are notified, so a retry sends only to those still missing.
CREATE TABLE hold_alerts (
  portal      text        NOT NULL,
  user_id     integer     NOT NULL,
  call_key    text        NOT NULL,
  hold_seq    integer     NOT NULL,
  kind        text        NOT NULL CHECK (kind IN ('long', 'hangup')),
  claimed_by  text        NOT NULL,
  claimed_at  timestamptz NOT NULL,
  due_at      timestamptz NOT NULL,
  sent_at     timestamptz,
  sent_to     integer[]   NOT NULL DEFAULT '{}',
  attempts    integer     NOT NULL DEFAULT 0,
  next_try_at timestamptz,
  last_error  text,
  PRIMARY KEY (portal, user_id, call_key, hold_seq, kind)
);
CREATE INDEX hold_alerts_unsent ON hold_alerts (next_try_at) WHERE sent_at IS NULL;

-- The digests sent: one per portal and local day, whichever server claims it first.
CREATE TABLE digests_sent (
  portal  text        NOT NULL,
  day     date        NOT NULL,
  sent_at timestamptz,
  error   text,
  PRIMARY KEY (portal, day)
);
