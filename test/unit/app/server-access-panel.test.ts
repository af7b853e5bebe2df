// @vitest-environment happy-dom
// What the app page tells an admin about this server's own access to the portal.
import { describe, expect, it } from 'vitest';
import { accessView, type AccessStatus } from '../../../src/app/server-access-panel.ts';
import { textsFor } from '../../../src/app/i18n/index.ts';

const INSTALLED: AccessStatus = {
  configured: true,
  installed: true,
  installedAt: '2026-11-26T09:00:00.000Z',
  renewedAt: '2026-11-26T10:00:00.000Z',
  renewalFailed: null,
  registration: { checkedAt: '2026-11-26T10:05:00.000Z', outcome: 'rebound', detail: 'for every user' },
  restCalls: [{ at: '2026-11-26T10:05:00.000Z', method: 'placement.bind', status: 200, durationMs: 41, error: null }],
};

function render(status: AccessStatus, lang = 'en'): HTMLElement {
  const root = document.createElement('div');
  root.append(...accessView(status, textsFor(lang)));
  return root;
}

const state = (root: HTMLElement) => root.querySelector<HTMLElement>('[data-testid="access-state"]')?.dataset.state;

describe('the server access panel', () => {
  it('says what the missing credentials would bring and how to set them', () => {
    const root = render({ configured: false });
    expect(state(root)).toBe('not-configured');
    expect(root.textContent).toContain('B24_CLIENT_ID and B24_CLIENT_SECRET');
    expect(root.textContent).toContain('install the app again');
  });

  it('tells an admin to install again when this server holds nothing for the portal', () => {
    const root = render({ ...INSTALLED, installed: false });
    expect(state(root)).toBe('not-installed');
    expect(root.querySelector('[data-testid="rest-log"]')).toBeNull();
  });

  it('shows the credentials, the registration the server bound again, and its REST calls', () => {
    const root = render(INSTALLED);
    expect(state(root)).toBe('installed');
    expect(root.querySelector<HTMLElement>('[data-testid="access-registration"]')?.dataset.outcome).toBe('rebound');
    expect(root.textContent).toContain('it was gone and the server bound it again (for every user)');
    expect(root.querySelector('[data-testid="rest-log"]')?.textContent).toContain('placement.bind');
  });

  it('says a refused renewal needs a reinstall, in the portal’s language', () => {
    const root = render(
      { ...INSTALLED, renewalFailed: { at: '2026-11-27T10:00:00.000Z', error: 'invalid_grant' } },
      'de',
    );
    expect(state(root)).toBe('renewal-failed');
    expect(root.textContent).toContain('invalid_grant');
    expect(root.textContent).toContain('Bis zur erneuten Installation');
  });

  it('shows whatever the log holds as text', () => {
    const root = render({
      ...INSTALLED,
      restCalls: [
        {
          at: INSTALLED.installedAt ?? '',
          method: '<img src=x onerror=alert(1)>',
          status: 400,
          durationMs: 3,
          error: '<b>x</b>',
        },
      ],
    });
    expect(root.querySelector('img, b')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
