-- Placement-error notices kept as GET /placement-error lists them, so every app server keeps and
-- lists the same ones: the key each is filed and bounded under (member:<id>, domain:<host> or
-- unknown, as portalOf in src/server/notice-store.ts names it; `portal` stays the claimed domain,
-- for deleting a portal's data), every field kept in the order received (json, not jsonb, keeps
-- the order), how many were dropped, and no description as NULL. Newest first is by id.
ALTER TABLE placement_errors
  ADD COLUMN portal_key     text,
  ADD COLUMN fields         json    NOT NULL DEFAULT '{}',
  ADD COLUMN dropped_fields integer NOT NULL DEFAULT 0,
  ALTER COLUMN description DROP NOT NULL,
  ALTER COLUMN description DROP DEFAULT;
UPDATE placement_errors SET
  description = NULLIF(description, ''),
  portal_key = CASE
    WHEN coalesce(member_id, '') <> '' THEN 'member:' || member_id
    WHEN coalesce(portal, '') <> '' THEN 'domain:' || portal
    ELSE 'unknown'
  END;
ALTER TABLE placement_errors ALTER COLUMN portal_key SET NOT NULL;
CREATE INDEX placement_errors_key ON placement_errors (portal_key, id);
-- Notices are never looked up by member id alone any more: the key above does it.
DROP INDEX placement_errors_member;
