import type { PortalSession } from './types.ts';

/** What a frame needs of the portal's getInitData answer, every field checked. */
export function readSession(init: Record<string, unknown>, origin: string, domain: string): PortalSession {
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  const options = init.APP_OPTIONS;
  return {
    lang: text(init.LANG) ?? 'en',
    domain: text(init.DOMAIN) ?? domain,
    origin,
    memberId: text(init.MEMBER_ID),
    isAdmin: init.IS_ADMIN === true,
    placement: text(init.PLACEMENT) ?? 'DEFAULT',
    install: init.INSTALL === true,
    appOptions:
      options && typeof options === 'object' && !Array.isArray(options) ? (options as Record<string, unknown>) : {},
  };
}
