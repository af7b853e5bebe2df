// What supervisors read in the portal's notifications, in the portal's language (the texts are in
// the app page's language tables, src/app/i18n; English otherwise). Messages take the portal's
// BB-code; text from outside (names, phone numbers) has its brackets removed so it cannot open a
// tag of its own.
import { textsFor, type Texts } from '../../app/i18n/index.ts';
import { formatDuration, interpolate } from '../../i18n/messages.ts';

export type AlertTexts = Texts['alertMessages'];

/** The messages in the portal's language (the app page's table, its `alertMessages`); English otherwise. */
export const alertTexts = (lang: string | null): AlertTexts => textsFor(lang ?? 'en').alertMessages;

/** Text from outside, safe inside BB-code: no brackets, one line, bounded. */
export const plain = (text: string): string =>
  text
    .replace(/[[\]\s]+/g, ' ')
    .trim()
    .slice(0, 200);

/** The shared `m:ss` / `h:mm:ss` format, to the nearest second (formatDuration itself cuts to the second below). */
export const duration = (ms: number): string => formatDuration(Math.round(ms / 1000) * 1000);

/** A BB-code link to the CRM entity in the portal, or nothing when the card named none. */
export function crmLink(t: AlertTexts, type: string | null, id: number | null): string {
  if (!type || id === null || !/^[A-Z]{3,20}$/.test(type) || !Number.isSafeInteger(id)) return '';
  const label = t.entities[type];
  if (!label) return '';
  return ` [URL=/crm/${type.toLowerCase()}/details/${id}/]${label} ${id}[/URL]`;
}

export interface HoldMessage {
  lang: string | null;
  kind: 'long' | 'hangup';
  operator: string | null;
  userId: number;
  heldMs: number;
  phone: string | null;
  crmType: string | null;
  crmId: number | null;
}

export function holdMessage(m: HoldMessage): string {
  const t = alertTexts(m.lang);
  return interpolate(m.kind === 'long' ? t.longHold : t.hungUp, {
    duration: duration(m.heldMs),
    operator: m.operator ? plain(m.operator) : interpolate(t.operator, { id: String(m.userId) }),
    phone: m.phone ? plain(m.phone) : t.noPhone,
    crm: crmLink(t, m.crmType, m.crmId),
  });
}
