// A server that just started answers its first batches slowly: the database has compiled no plan
// and no PL/pgSQL function yet (ingest's, and the sums' refresh), and the embedded one runs its
// WebAssembly unoptimised until the engine sees it is hot. Before the server takes requests, it
// stores a few groups of made-up events the way ingest does, in transactions it rolls back: nothing
// is kept, nothing is notified (a notice goes out only on commit), and the first operators after a
// deploy are not the ones who wait.
import type { Driver } from './index.ts';
import { checkBatch } from '../holds/event-schema.ts';
import { ingestInto, type Batch } from '../holds/ingest.ts';
import { refreshSums } from '../holds/rollups.ts';

export interface WarmUpOptions {
  /** Groups to store and roll back at most. */
  groups: number;
  /** Stops early after this long, whatever is left (WARM_UP_MS). */
  budgetMs: number;
}

export const DEFAULT_WARM_UP: WarmUpOptions = { groups: 60, budgetMs: 3000 };

/** A portal name no real portal has (not a host name), so a warm-up row could never be mistaken for one. */
const PORTAL = '~warm-up';

class RolledBack extends Error {}

/** One group of every kind of event ingest applies: a hold begun, one ended, a failed resume, a call's summary. */
function groupOf(round: number, now: number): Batch[] {
  const at = (ms: number): string => new Date(now - ms).toISOString();
  const context = {
    callId: `warm-up-${round}`,
    phoneNumber: '+10000000000',
    crmEntityType: 'CONTACT',
    crmEntityId: round,
  };
  const checked = checkBatch(
    {
      events: [
        { id: `w${round}-1`, type: 'hold.started', timestamp: at(9000), data: { ...context, held: true, holdSeq: 1 } },
        {
          id: `w${round}-2`,
          type: 'hold.ended',
          timestamp: at(6000),
          data: { ...context, held: false, holdSeq: 1, heldMs: 3000, endedBy: 'resume' },
        },
        {
          id: `w${round}-3`,
          type: 'hold.ended',
          timestamp: at(3000),
          data: { ...context, held: false, holdSeq: 2, heldMs: 2000, endedBy: 'hangup' },
        },
        {
          id: `w${round}-4`,
          type: 'hold.failed',
          timestamp: at(2000),
          data: { ...context, held: true, holdSeq: 2, reason: 'warm-up' },
        },
        {
          id: `w${round}-5`,
          type: 'call.summary',
          timestamp: at(1000),
          data: { ...context, held: false, holdCount: 2, totalHeldMs: 5000 },
        },
      ],
    },
    now,
  );
  // Checked as a request's batch is, so the warm-up events are exactly what ingest gets.
  if (!checked.ok) throw new Error(`the warm-up events are not valid: ${checked.tooMany ? 'too many' : checked.error}`);
  return [{ sender: { portal: PORTAL, userId: 1 + (round % 5) }, events: checked.events }];
}

/** Resolves to the groups it stored and rolled back; a database error ends it early and is not thrown. */
export async function warmUp(
  db: Driver,
  options: WarmUpOptions = DEFAULT_WARM_UP,
): Promise<{ groups: number; ms: number; error?: string }> {
  const started = performance.now();
  let groups = 0;
  try {
    while (groups < options.groups && performance.now() - started < options.budgetMs) {
      const batches = groupOf(groups, Date.now());
      await db
        .transaction(async (tx) => {
          await ingestInto(tx, batches);
          await refreshSums(tx, PORTAL);
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      groups++;
    }
  } catch (error) {
    return {
      groups,
      ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return { groups, ms: Math.round(performance.now() - started) };
}
