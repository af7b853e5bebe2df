import type { HoldEvent } from '../hold/types.ts';

/**
 * `{{name}}` placeholders in output params. Plain substitution only: nothing is evaluated. A string
 * that is exactly one placeholder takes the value itself (a number stays a number).
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}$/;

export const TEMPLATE_NAMES: readonly string[] = [
  'id', 'type', 'timestamp', 'heldSeconds', 'totalHeldSeconds',
  'held', 'callId', 'phoneNumber', 'lineNumber', 'direction', 'crmEntityType', 'crmEntityId', 'crmActivityId',
  'holdSeq', 'heldMs', 'totalHeldMs', 'holdCount', 'longestHoldMs', 'reason', 'domain', 'memberId', 'userId',
];

export function templateValues(event: HoldEvent): Record<string, unknown> {
  const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms / 1000));
  return {
    ...event.data,
    id: event.id,
    type: event.type,
    timestamp: event.timestamp,
    heldSeconds: seconds(event.data.heldMs),
    totalHeldSeconds: seconds(event.data.totalHeldMs),
  };
}

/** The path of the first placeholder whose name is unknown, with the name, or null when all are known. */
export function findUnknownPlaceholder(template: unknown, path = ''): { path: string; name: string } | null {
  if (typeof template === 'string') {
    for (const [, name] of template.matchAll(PLACEHOLDER)) {
      if (name !== undefined && !TEMPLATE_NAMES.includes(name)) return { path, name };
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
    return template.replace(PLACEHOLDER, (_all, name: string) => {
      const value = values[name];
      return value === undefined || value === null ? '' : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, values));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, fillTemplate(item, values)]));
  }
  return template;
}
