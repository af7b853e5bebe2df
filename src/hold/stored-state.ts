import * as v from 'valibot';
import { CallContextSchema } from '../contract/call-context.ts';

/**
 * The hold state as the worker stores it between frames: one schema, whose types the state module
 * uses and which restore.ts checks stored JSON against (another version of the app, a user's edits).
 */

const ms = v.pipe(v.number(), v.minValue(0));
const counter = v.pipe(v.number(), v.integer(), v.minValue(0));

export const CallRecordSchema = v.object({
  context: CallContextSchema,
  /** When the record was made (ms since epoch); names a call whose id is still unknown. */
  openedAt: ms,
  /**
   * When the call was connected, as first known (ms since epoch), or null while it is not known to
   * be. Absent in states stored before talk time was kept: read as not known.
   */
  answeredAt: v.optional(v.nullable(ms), null),
  held: v.boolean(),
  /** When the current hold began, or null when not held. */
  heldSince: v.nullable(ms),
  holdSeq: counter,
  totalHeldMs: ms,
  longestHoldMs: ms,
  /** Events emitted for the call so far: makes each event id unique, and equal in every frame. */
  changes: counter,
});

export const HoldStateSchema = v.object({
  version: v.literal(1),
  call: v.nullable(CallRecordSchema),
});

/** One call as the state module keeps it. Plain JSON, so it can be stored and restored. */
export type CallRecord = v.InferOutput<typeof CallRecordSchema>;
export type HoldState = v.InferOutput<typeof HoldStateSchema>;
