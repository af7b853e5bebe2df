// The holds of the period, longest or most recent first, optionally of one operator: when, who,
// the customer's number, how long, how it ended, the call's talk time (a dash while unknown), and a
// link to the CRM card in the portal's slider.
import { h, setChildren } from '../dom.ts';
import { clock, dateTime, maybeClock } from './format.ts';
import { avatar, nameOf } from './operator-table.ts';
import type { Person } from './operators.ts';
import type { HoldRow } from './report-answer.ts';
import { interpolate, type ReportTexts } from '../i18n/index.ts';

const CRM_PATHS: Record<string, string> = { CONTACT: 'contact', COMPANY: 'company', LEAD: 'lead', DEAL: 'deal' };

/** The portal page of a CRM entity, or null for an entity the portal has no card path for. */
export function crmPath(type: string | null, id: number | null): string | null {
  const kind = type ? CRM_PATHS[type.toUpperCase()] : undefined;
  return kind && id !== null && Number.isSafeInteger(id) && id > 0 ? `/crm/${kind}/details/${id}/` : null;
}

export interface HoldsView {
  rows: readonly HoldRow[];
  people: ReadonlyMap<number, Person>;
  tz: string;
  /** Show the date too (periods longer than a day). */
  withDate: boolean;
}

export function renderHolds(
  table: HTMLTableElement,
  view: HoldsView,
  t: ReportTexts,
  lang: string,
  openPath: ((path: string) => void) | null,
): void {
  const head = h(
    'tr',
    {},
    [t.colTime, t.colOperator, t.colPhone, t.colDuration, t.colEndedBy].map((label, i) =>
      h('th', { scope: 'col', class: i === 3 ? 'numeric' : '' }, label),
    ),
    h('th', { scope: 'col', class: 'numeric' }, t.colCallTalk),
    openPath ? h('th', { scope: 'col' }, t.colCrm) : null,
  );
  const body = view.rows.map((row) => {
    const person = view.people.get(row.userId);
    const name = nameOf(person, row.userId);
    const path = crmPath(row.crmEntityType, row.crmEntityId);
    const entity = t.crmTypes[(row.crmEntityType ?? '').toUpperCase()] ?? row.crmEntityType ?? '';
    const ended = row.endedBy ?? (row.endedAt ? 'resume' : 'open');
    return h(
      'tr',
      { 'data-testid': 'hold-row', 'data-user-id': row.userId, 'data-held-ms': row.heldMs ?? '' },
      h('td', {}, h('time', { datetime: row.startedAt }, dateTime(row.startedAt, view.tz, lang, view.withDate))),
      h(
        'td',
        {},
        h('span', { class: 'person static' }, avatar(person, name), h('span', { class: 'person-name' }, name)),
      ),
      h('td', { class: 'mono' }, row.phoneNumber ?? '–'),
      h('td', { class: 'numeric' }, row.heldMs === null ? '–' : clock(row.heldMs)),
      h('td', { class: `ended ended-${ended}` }, t.endedBy[ended] ?? ended),
      h('td', { class: 'numeric', 'data-col': 'talkMs' }, maybeClock(row.talkMs)),
      openPath
        ? h(
            'td',
            {},
            path
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'data-testid': 'open-crm',
                    'aria-label': interpolate(t.openCrmLabel, { entity, id: String(row.crmEntityId) }),
                    onclick: () => openPath(path),
                  },
                  `${t.openCrm} ${entity}`,
                )
              : '–',
          )
        : null,
    );
  });
  setChildren(table, h('thead', {}, head), h('tbody', {}, body));
}
