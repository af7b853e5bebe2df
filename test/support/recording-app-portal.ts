// The app page's portal for page tests in happy-dom: a session as the portal opens the page with, and
// every REST call recorded and answered `true`.
import type { AppPortal } from '../../src/app/app-connection.ts';
import type { RestAnswer } from '../../src/portal/types.ts';
import { recordingPortal } from './fixtures.ts';

export interface AppPortalOptions {
  lang?: string;
  /** Default true: the settings pages are for admins. */
  isAdmin?: boolean;
  /** The holdRelay option the portal has stored; none when left out. */
  holdRelay?: unknown;
}

export function recordingAppPortal(
  options: AppPortalOptions = {},
): AppPortal & { calls: { method: string; params: Record<string, unknown> }[] } {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  return {
    calls,
    session: {
      lang: options.lang ?? 'en',
      domain: 'example.bitrix24.com',
      origin: 'https://example.bitrix24.com',
      memberId: 'member-1',
      isAdmin: options.isAdmin ?? true,
      install: false,
      placement: 'DEFAULT',
      appOptions: options.holdRelay === undefined ? {} : { holdRelay: options.holdRelay },
    },
    async rest(method, params = {}): Promise<RestAnswer> {
      calls.push({ method, params });
      return { ok: true, result: true };
    },
    operatorToken: async () => 'token',
    installFinish: () => undefined,
    openPath: () => undefined,
    selectUsers: async () => [],
    outputPortal: () => recordingPortal(),
    dispose: () => undefined,
  };
}
