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
  renewed_at             timestamptz NOT NULL DEFAULT now(),
  -- Set when the OAuth server refused the refresh token for good: only a reinstall helps.
  renewal_failed_at      timestamptz,
  renewal_error          text
);
CREATE INDEX portal_installs_renewed ON portal_installs (renewed_at) WHERE renewal_failed_at IS NULL;
