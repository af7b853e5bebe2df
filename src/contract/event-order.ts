/**
 * The order of one call's events that share an instant and a hold: both deliverers send a call's
 * events by (timestamp, holdSeq, this rank), so a receiver sees them as they happened.
 */
const ORDER: readonly string[] = ['hold.started', 'hold.ended', 'hold.failed', 'call.summary'];

/** The rank of an event type in that order; a type this version does not know goes last. */
export function typeRank(type: string): number {
  const rank = ORDER.indexOf(type);
  return rank === -1 ? ORDER.length : rank;
}
