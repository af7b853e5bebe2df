// What supervisors read in the portal's notifications, in the portal's language (en, ru, de;
// English otherwise). Messages take the portal's BB-code; text from outside (names, phone numbers)
// has its brackets removed so it cannot open a tag of its own.
import { formatDuration, interpolate } from '../../i18n/messages.ts';

interface AlertTexts {
  longHold: string;
  hungUp: string;
  test: string;
  digest: string;
  digestNone: string;
  operator: string;
  noPhone: string;
  openReport: string;
  entities: Record<string, string>;
}

const en: AlertTexts = {
  longHold: '[B]On hold for {duration}[/B]: {operator} has a customer waiting ({phone}).{crm}',
  hungUp: '[B]Customer hung up while on hold[/B] after {duration}: {operator}’s call ({phone}).{crm}',
  test: 'Test alert from Hold relay: you will be told here when a hold runs past {seconds} s.',
  digest: '[B]Holds yesterday, {date}[/B]: {calls} calls, {holds} holds, average {avg}, longest {longest}, {endedWithCall} hung up while held.{top} [URL={link}]Open the hold report[/URL]',
  digestNone: '[B]Holds yesterday, {date}[/B]: no holds. [URL={link}]Open the hold report[/URL]',
  operator: 'operator #{id}',
  noPhone: 'number unknown',
  openReport: 'Most time on hold: {list}.',
  entities: { CONTACT: 'Contact', COMPANY: 'Company', LEAD: 'Lead', DEAL: 'Deal' },
};

const ru: AlertTexts = {
  longHold: '[B]На удержании {duration}[/B]: клиент ждёт, оператор {operator} ({phone}).{crm}',
  hungUp: '[B]Клиент положил трубку на удержании[/B] через {duration}: оператор {operator} ({phone}).{crm}',
  test: 'Проверка оповещений Hold relay: сюда придёт сообщение, когда удержание продлится дольше {seconds} с.',
  digest: '[B]Удержания вчера, {date}[/B]: звонков {calls}, удержаний {holds}, в среднем {avg}, самое долгое {longest}, положили трубку на удержании: {endedWithCall}.{top} [URL={link}]Открыть отчёт[/URL]',
  digestNone: '[B]Удержания вчера, {date}[/B]: удержаний не было. [URL={link}]Открыть отчёт[/URL]',
  operator: '№{id}',
  noPhone: 'номер неизвестен',
  openReport: 'Дольше всех на удержании: {list}.',
  entities: { CONTACT: 'Контакт', COMPANY: 'Компания', LEAD: 'Лид', DEAL: 'Сделка' },
};

const de: AlertTexts = {
  longHold: '[B]Seit {duration} gehalten[/B]: Ein Kunde von {operator} wartet ({phone}).{crm}',
  hungUp: '[B]Kunde hat während des Haltens aufgelegt[/B], nach {duration}: Anruf von {operator} ({phone}).{crm}',
  test: 'Testalarm von Hold relay: Hier erfahren Sie, wenn ein Halten länger als {seconds} s dauert.',
  digest: '[B]Halten gestern, {date}[/B]: {calls} Anrufe, {holds}-mal gehalten, im Schnitt {avg}, am längsten {longest}, {endedWithCall} aufgelegt während des Haltens.{top} [URL={link}]Bericht öffnen[/URL]',
  digestNone: '[B]Halten gestern, {date}[/B]: kein Halten. [URL={link}]Bericht öffnen[/URL]',
  operator: 'Mitarbeiter Nr. {id}',
  noPhone: 'Nummer unbekannt',
  openReport: 'Am längsten gehalten: {list}.',
  entities: { CONTACT: 'Kontakt', COMPANY: 'Unternehmen', LEAD: 'Lead', DEAL: 'Deal' },
};

const TEXTS: Record<string, AlertTexts> = { en, ru, de };

export const alertTexts = (lang: string | null): AlertTexts => TEXTS[lang ?? 'en'] ?? en;

/** Text from outside, safe inside BB-code: no brackets, one line, bounded. */
export const plain = (text: string): string => text.replace(/[[\]\s]+/g, ' ').trim().slice(0, 200);

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
