import { CONTEXT_TEXT_LIMITS as TEXT_LIMITS } from '../contract/limits.ts';
import type { CallContext } from '../hold/types.ts';
import { isRecord } from '../lib/is-record.ts';

/** Card event payloads are untrusted: each parser returns a value or a reason, never throws. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** `holdButtonClick` carries exactly one boolean: the card's hold state after the click. */
export function parseHoldPayload(arg: unknown): Parsed<boolean> {
  if (typeof arg === 'boolean') return { ok: true, value: arg };
  return { ok: false, reason: `expected a boolean, got ${describe(arg)}` };
}

/** `BackgroundCallCard::initialized`: the call's context. Only CALL_ID is required. */
export function parseInitializedPayload(arg: unknown): Parsed<CallContext> {
  if (!isRecord(arg)) return { ok: false, reason: `expected an object, got ${describe(arg)}` };
  const callId = text(arg.CALL_ID, TEXT_LIMITS.callId);
  if (callId === null) return { ok: false, reason: `CALL_ID must be a non-empty string, got ${describe(arg.CALL_ID)}` };
  return {
    ok: true,
    value: {
      callId,
      phoneNumber: text(arg.PHONE_NUMBER, TEXT_LIMITS.phoneNumber),
      lineNumber: text(arg.LINE_NUMBER, TEXT_LIMITS.lineNumber),
      direction: text(arg.CALL_DIRECTION, TEXT_LIMITS.direction),
      crmEntityType: text(arg.CRM_ENTITY_TYPE, TEXT_LIMITS.crmEntityType),
      crmEntityId: positiveId(arg.CRM_ENTITY_ID),
      crmActivityId: positiveId(arg.CRM_ACTIVITY_ID),
    },
  };
}

/**
 * Whether `initialized` reports a call connected already: its CALL_STATE is the card's state when the
 * frame subscribed (`connected` is the only state in which the card shows the Hold button).
 */
export function isConnectedCall(arg: unknown): boolean {
  return isRecord(arg) && arg.CALL_STATE === 'connected';
}

/**
 * The SDK resolves a `bindEvent` promise with `{isSafely: true}` when the portal stays silent for
 * 900 ms; anything else it resolves with is an event that fired in that window.
 */
export function isSafelyMarker(value: unknown): boolean {
  return isRecord(value) && value.isSafely === true && Object.keys(value).length === 1;
}

/** Trimmed to the contract's bound for the field: the server refuses an event with a longer one. */
function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, max);
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
