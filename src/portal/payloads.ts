import type { CallContext } from '../hold/types.ts';
import { isRecord } from '../lib/is-record.ts';

/** Card event payloads are untrusted: each parser returns a value or a reason, never throws. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_TEXT = 256;

/** `holdButtonClick` carries exactly one boolean: the card's hold state after the click. */
export function parseHoldPayload(arg: unknown): Parsed<boolean> {
  if (typeof arg === 'boolean') return { ok: true, value: arg };
  return { ok: false, reason: `expected a boolean, got ${describe(arg)}` };
}

/** `BackgroundCallCard::initialized`: the call's context. Only CALL_ID is required. */
export function parseInitializedPayload(arg: unknown): Parsed<CallContext> {
  if (!isRecord(arg)) return { ok: false, reason: `expected an object, got ${describe(arg)}` };
  const callId = text(arg.CALL_ID);
  if (callId === null) return { ok: false, reason: `CALL_ID must be a non-empty string, got ${describe(arg.CALL_ID)}` };
  return {
    ok: true,
    value: {
      callId,
      phoneNumber: text(arg.PHONE_NUMBER),
      lineNumber: text(arg.LINE_NUMBER),
      direction: text(arg.CALL_DIRECTION),
      crmEntityType: text(arg.CRM_ENTITY_TYPE),
      crmEntityId: positiveId(arg.CRM_ENTITY_ID),
      crmActivityId: positiveId(arg.CRM_ACTIVITY_ID),
    },
  };
}

/**
 * The SDK resolves a `bindEvent` promise with `{isSafely: true}` when the portal stays silent for
 * 900 ms; anything else it resolves with is an event that fired in that window.
 */
export function isSafelyMarker(value: unknown): boolean {
  return isRecord(value) && value.isSafely === true && Object.keys(value).length === 1;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_TEXT);
}

function positiveId(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function describe(value: unknown): string {
  if (value === undefined || value === '') return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}
