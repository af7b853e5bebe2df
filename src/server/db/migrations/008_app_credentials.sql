-- The app's own credentials in each portal installed here, from the portal's ONAPPINSTALL event.
-- A portal is named by its domain (host[:port]) as everywhere else; member_id is the portal's own
-- id, which the uninstall event names too. Tokens are sealed (AES-GCM, a key derived from the
-- app's Application key, bound to the portal: src/server/credentials/secret-box.ts); the
-- application_token, the only proof that a later event comes from this portal, is kept as its
-- SHA-256 only.
CREATE TABLE portal_installs (
  portal                 text        PRIMARY KEY,
  member_id              text        NOT NULL UNIQUE,
  application_token_hash text        NOT NULL,
  refresh_token          text        NOT NULL,
  access_token           text        NOT NULL,
  access_expires_at      timestamptz NOT NULL,
  installed_at           timestamptz NOT NULL DEFAULT now(),
  installed_by           integer,
  language               text,
  -- The app's ID in this portal (app.info), for links to its page: /marketplace/app/<id>/.
  app_id                 text,
  renewed_at             timestamptz NOT NULL DEFAULT now(),
  -- Set when the OAuth server refused the refresh token for good: only a reinstall helps.
  renewal_failed_at      timestamptz,
  renewal_error          text,
  -- The worker's registration as the install left it ({handler, errorHandlerUrl, userIds}), kept
  -- alive by the server, and what its last check found.
  worker_target          jsonb,
  registration_checked_at timestamptz,
  registration_outcome   text CHECK (registration_outcome IN ('present', 'rebound', 'failed')),
  registration_detail    text
);
CREATE INDEX portal_installs_renewed ON portal_installs (renewed_at) WHERE renewal_failed_at IS NULL;

-- The server's own REST calls to each portal (the Market asks apps to keep them for 3 days): the
-- method, the answer's status and error code, and how long it took. No token, no parameters.
CREATE TABLE rest_calls (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  portal      text        NOT NULL,
  at          timestamptz NOT NULL,
  method      text        NOT NULL,
  status      integer     NOT NULL,
  duration_ms integer     NOT NULL,
  error       text
);
CREATE INDEX rest_calls_portal ON rest_calls (portal, id DESC);
CREATE INDEX rest_calls_at ON rest_calls (at);
