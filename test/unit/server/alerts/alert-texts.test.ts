import { describe, expect, it } from 'vitest';
import { alertTexts, crmLink, duration, holdMessage, plain } from '../../../../src/server/alerts/alert-texts.ts';

describe('what supervisors read', () => {
  it.each([
    [0, '0:00'],
    [999, '0:01'],
    [61_000, '1:01'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it('links the CRM entity the card named, and nothing for what it did not', () => {
    const t = alertTexts('en');
    expect(crmLink(t, 'DEAL', 789)).toBe(' [URL=/crm/deal/details/789/]Deal 789[/URL]');
    expect(crmLink(t, null, 789)).toBe('');
    expect(crmLink(t, 'CONTACT', null)).toBe('');
    expect(crmLink(t, 'SMART_INVOICE', 1)).toBe('');
    expect(crmLink(t, 'contact]] [URL=https://evil', 1)).toBe('');
  });

  it('keeps names and numbers from opening a BB-code tag of their own', () => {
    expect(plain('Eve [URL=https://evil.example]click[/URL]\nX')).toBe('Eve URL=https://evil.example click /URL X');
  });

  it('speaks the portal’s language, English otherwise, and names an operator it does not know by id', () => {
    const base = {
      kind: 'long' as const,
      operator: null,
      userId: 7,
      heldMs: 75_000,
      phone: null,
      crmType: null,
      crmId: null,
    };
    expect(holdMessage({ ...base, lang: 'ru' })).toBe(
      '[B]На удержании 1:15[/B]: клиент ждёт, оператор №7 (номер неизвестен).',
    );
    expect(holdMessage({ ...base, lang: 'ua' })).toBe(
      '[B]На утриманні 1:15[/B]: клієнт чекає, оператор №7 (номер невідомий).',
    );
    expect(holdMessage({ ...base, lang: 'xx' })).toBe(
      '[B]On hold for 1:15[/B]: operator #7 has a customer waiting (number unknown).',
    );
  });
});
