import * as v from 'valibot';
import { initialState } from './state.ts';
import type { HoldState } from './types.ts';

/** Stored state is untrusted (another version of the app, a user's edits): anything off shape starts afresh. */

const text = v.nullable(v.string());
const id = v.nullable(v.pipe(v.number(), v.integer()));
const ms = v.pipe(v.number(), v.minValue(0));

const StoredState = v.object({
  version: v.literal(1),
  call: v.nullable(
    v.object({
      context: v.object({
        callId: text,
        phoneNumber: text,
        lineNumber: text,
        direction: text,
        crmEntityType: text,
        crmEntityId: id,
        crmActivityId: id,
      }),
      openedAt: ms,
      held: v.boolean(),
      heldSince: v.nullable(ms),
      holdSeq: v.pipe(v.number(), v.integer(), v.minValue(0)),
      totalHeldMs: ms,
      longestHoldMs: ms,
      changes: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
});

/** A call older than this is left over from a browser that closed mid-call, not a call in progress. */
export const MAX_CALL_AGE_MS = 12 * 60 * 60 * 1000;

export function restoreState(json: string | null, now: number): HoldState {
  if (json === null) return initialState();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return initialState();
  }
  const parsed = v.safeParse(StoredState, value);
  if (!parsed.success) return initialState();
  const state = parsed.output;
  if (state.call && (now - state.call.openedAt > MAX_CALL_AGE_MS || state.call.held !== (state.call.heldSince !== null))) {
    return initialState();
  }
  return state;
}
