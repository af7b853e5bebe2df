// @vitest-environment happy-dom
// The portal's switch-off notices on the app page: anyone can post one naming a portal, so each is
// shown as unverified, with why, and as text whatever it says.
import { describe, expect, it } from 'vitest';
import { textsFor } from '../../../src/app/i18n/index.ts';
import { noticeList, type Notice } from '../../../src/app/worker-panel.ts';

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  receivedAt: '2026-11-26T09:15:00.000Z',
  error: 'ERROR_PLACEMENT_LOADING_OVERTIME',
  description: 'Loading took over 5 s',
  domain: 'acme.bitrix24.com',
  memberId: 'm1',
  verified: false,
  ...overrides,
});

function render(list: Notice[], lang = 'en'): HTMLElement {
  const root = document.createElement('div');
  for (const child of noticeList(list, lang, textsFor(lang))) if (child) root.append(child);
  return root;
}

describe('the notices in the worker panel', () => {
  it('marks each unverified notice, says why, and shows what was posted as text', () => {
    const root = render([
      notice({ description: '<img src=x onerror="alert(1)">' }),
      notice({ verified: undefined, error: 'ERROR_OTHER' }),
    ]);
    const items = [...root.querySelectorAll('li')];
    expect(items).toHaveLength(2);
    for (const item of items) expect(item.querySelector('.badge.unverified')?.textContent).toBe('unverified');
    expect(items[0]?.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain(textsFor('en').noticeUnverifiedHint);
    expect(items[0]?.querySelector('.badge')?.getAttribute('title')).toBe(textsFor('en').noticeUnverifiedHint);
  });

  it("speaks the portal's language", () => {
    expect(render([notice()], 'ru').querySelector('.badge.unverified')?.textContent).toBe('не проверено');
    expect(render([notice()], 'de').querySelector('.badge.unverified')?.textContent).toBe('nicht geprüft');
  });

  it('shows no mark for a notice the server verified, and says so when there are none', () => {
    const verified = render([notice({ verified: true })]);
    expect(verified.querySelector('.badge')).toBeNull();
    expect(verified.textContent).not.toContain(textsFor('en').noticeUnverifiedHint);
    const none = render([]);
    expect(none.querySelector('li')).toBeNull();
    expect(none.textContent).toContain(textsFor('en').noticesNone);
  });
});
