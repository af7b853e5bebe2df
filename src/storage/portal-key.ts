/**
 * Which portal the browser's stored data belongs to: its member id, or its domain when the portal
 * gave none. Frames of two portals can share one storage partition (the Bitrix24 cloud domains are
 * not on the public suffix list), so every stored name carries this.
 */
export function portalKey(session: { memberId: string | null; domain: string }): string {
  return session.memberId ?? session.domain;
}
