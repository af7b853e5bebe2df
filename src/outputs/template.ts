import type { HoldEvent } from '../contract/event.ts';
import { EVENT_DATA_FIELDS } from '../contract/event-types.ts';

/**
 * `{{name}}` placeholders in output params, optionally `{{name|lower}}` or `{{name|upper}}` (Bitrix24
 * methods such as crm.timeline.comment.add document lower-case entity types; the card sends upper
 * case). Plain substitution only: nothing is evaluated. A string that is exactly one placeholder
 * without a filter takes the value itself (a number stays a number).
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\|\s*([A-Za-z]+)\s*)?\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}$/;
const FILTERS: Record<string, (text: string) => string> = {
  lower: (t) => t.toLowerCase(),
  upper: (t) => t.toUpperCase(),
};

/** Whole seconds computed from a field of `data`, offered beside the event's own fields. */
const SECONDS_OF = { heldSeconds: 'heldMs', totalHeldSeconds: 'totalHeldMs', talkSeconds: 'talkMs' } as const;

/** Every name a placeholder may take: the event's fields as the contract defines them, and the seconds above. */
export const TEMPLATE_NAMES: readonly string[] = [
  'id',
  'type',
  'timestamp',
  ...Object.keys(SECONDS_OF),
  ...EVENT_DATA_FIELDS,
];

export function templateValues(event: HoldEvent): Record<string, unknown> {
  const seconds = Object.entries(SECONDS_OF).map(([name, field]) => {
    const ms = event.data[field];
    return [name, typeof ms === 'number' ? Math.round(ms / 1000) : null];
  });
  return { ...event.data, id: event.id, type: event.type, timestamp: event.timestamp, ...Object.fromEntries(seconds) };
}

/** The path of the first placeholder whose name (or filter) is unknown, with it, or null when all are known. */
export function findUnknownPlaceholder(template: unknown, path = ''): { path: string; name: string } | null {
  if (typeof template === 'string') {
    for (const [, name, filter] of template.matchAll(PLACEHOLDER)) {
      if (name !== undefined && !TEMPLATE_NAMES.includes(name)) return { path, name };
      if (filter !== undefined && !(filter in FILTERS)) return { path, name: `${name}|${filter}` };
    }
    return null;
  }
  if (Array.isArray(template)) {
    for (const [i, item] of template.entries()) {
      const found = findUnknownPlaceholder(item, `${path}.${i}`);
      if (found) return found;
    }
  } else if (typeof template === 'object' && template !== null) {
    for (const [key, item] of Object.entries(template)) {
      const found = findUnknownPlaceholder(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function fillTemplate(template: unknown, values: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole?.[1] !== undefined) return values[whole[1]] ?? null;
    return template.replace(PLACEHOLDER, (_all, name: string, filter: string | undefined) => {
      const value = values[name];
      const text = value === undefined || value === null ? '' : String(value);
      return filter === undefined ? text : (FILTERS[filter]?.(text) ?? text);
    });
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, values));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, fillTemplate(item, values)]));
  }
  return template;
}
