/**
 * The order of one call's events that share an instant and a hold: both deliverers send a call's
 * events by (timestamp, holdSeq, this rank), so a receiver sees them as they happened.
 */
import type { HoldEventType } from './event-types.ts';

/** Every type has its rank (a new type does not compile until it is given one). */
const RANK: Record<HoldEventType, number> = { 'hold.started': 0, 'hold.ended': 1, 'hold.failed': 2, 'call.summary': 3 };

/** The rank of an event type in that order; a type this version does not know goes last. */
export function typeRank(type: string): number {
  return Object.hasOwn(RANK, type) ? RANK[type as HoldEventType] : Object.keys(RANK).length;
}
