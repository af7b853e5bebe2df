import * as v from 'valibot';
import { initialState } from './state.ts';
import { HoldStateSchema, type HoldState } from './stored-state.ts';

/** A call older than this is left over from a browser that closed mid-call, not a call in progress. */
export const MAX_CALL_AGE_MS = 12 * 60 * 60 * 1000;

/** Stored state is untrusted (another version of the app, a user's edits): anything off shape starts afresh. */
export function restoreState(json: string | null, now: number): HoldState {
  if (json === null) return initialState();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return initialState();
  }
  const parsed = v.safeParse(HoldStateSchema, value);
  if (!parsed.success) return initialState();
  const state = parsed.output;
  if (
    state.call &&
    (now - state.call.openedAt > MAX_CALL_AGE_MS || state.call.held !== (state.call.heldSince !== null))
  ) {
    return initialState();
  }
  return state;
}
