// "Seed a week of holds": a realistic week of calls and holds for several operators, sent to the
// app's server the way the worker's `server` output sends them (POST /api/events, each operator
// with a token this portal issued), so the report has something to show right after `npm start`.

export interface SeedOptions {
  operators: readonly number[];
  days: number;
  now: number;
  /** The seed of the random numbers: the same seed makes the same calls (and event ids). */
  seed?: number;
}

export interface SeedEvent {
  id: string;
  type: 'hold.started' | 'hold.ended' | 'call.summary';
  timestamp: string;
  data: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
/** The most days a seed fills: the app's server refuses events older than 7 days (MAX_EVENT_AGE_MS). */
export const SEED_MAX_DAYS = 7;
const ENTITY_TYPES = ['CONTACT', 'CONTACT', 'CONTACT', 'COMPANY', 'LEAD'] as const;
const PREFIXES = ['+7916', '+7925', '+4915', '+4930', '+1415', '+3906'];
/** Two lines, sales and support: every third operator answers support, so the two differ. */
const lineOf = (userId: number): string => (userId % 3 === 0 ? 'reg151084' : 'reg151083');
/** One call in 25 ends without a known talk time (a frame that never saw the call connected). */
const talkUnknown = (callIndex: number): boolean => callIndex % 25 === 7;

/** A small, fast, seeded generator: the same seed gives the same month. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hold lengths as call centres see them: most under a minute, a long tail of several minutes. */
function holdMs(next: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Math.round(Math.min(900_000, Math.max(3000, Math.exp(Math.log(35_000) + 0.85 * normal))));
}

/** Each operator's calls on working days from 9:00 to 18:00 (UTC), a third of them with holds, on their line, with their talk time. */
export function monthOfHolds(options: SeedOptions): Map<number, SeedEvent[]> {
  const byUser = new Map<number, SeedEvent[]>();
  const firstDay = Math.floor(options.now / DAY_MS) * DAY_MS - (options.days - 1) * DAY_MS;
  for (const userId of options.operators) {
    const events: SeedEvent[] = [];
    for (let d = 0; d < options.days; d++) {
      const day = firstDay + d * DAY_MS;
      const date = new Date(day).toISOString().slice(0, 10);
      const next = random((options.seed ?? 1) * 1_000_003 + userId * 7919 + day / DAY_MS);
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || (weekday === 6 && next() < 0.7)) continue;
      const calls = 14 + Math.floor(next() * 24);
      let at = day + 9 * 3600_000 + Math.floor(next() * 600_000);
      for (let c = 0; c < calls && at < day + 18 * 3600_000; c++) {
        const callId = `SEED.${userId}.${date}.${c}`;
        const context = {
          callId,
          phoneNumber: `${PREFIXES[Math.floor(next() * PREFIXES.length)]}${String(Math.floor(next() * 1e7)).padStart(7, '0')}`,
          lineNumber: lineOf(userId),
          direction: next() < 0.8 ? 'incoming' : 'outgoing',
          crmEntityType: ENTITY_TYPES[Math.floor(next() * ENTITY_TYPES.length)],
          crmEntityId: 100 + Math.floor(next() * 900),
          crmActivityId: null,
        };
        let t = at + 20_000 + Math.floor(next() * 60_000);
        const holds = next() < 0.34 ? 1 + Math.floor(next() * next() * 3) : 0;
        let total = 0;
        let longest = 0;
        let hungUp = false;
        for (let seq = 1; seq <= holds && !hungUp; seq++) {
          const held = holdMs(next);
          const endedBy = next() < 0.05 + held / 3_000_000 ? 'hangup' : 'resume';
          if (t + held > options.now) break;
          total += held;
          longest = Math.max(longest, held);
          hungUp = endedBy === 'hangup';
          events.push(
            {
              id: `seed_${callId}_${seq}_s`,
              type: 'hold.started',
              timestamp: new Date(t).toISOString(),
              data: { ...context, held: true, holdSeq: seq, totalHeldMs: total - held },
            },
            {
              id: `seed_${callId}_${seq}_e`,
              type: 'hold.ended',
              timestamp: new Date(t + held).toISOString(),
              data: { ...context, held: false, holdSeq: seq, heldMs: held, endedBy, totalHeldMs: total },
            },
          );
          t += held + 15_000 + Math.floor(next() * 90_000);
        }
        // The talk goes on after the last hold: one to four and a half minutes more.
        t += 60_000 + (c % 8) * 30_000;
        if (t > options.now) break;
        const holdCount = events.filter((e) => e.type === 'hold.started' && e.data.callId === callId).length;
        // The call was connected when it began, and talked until this summary.
        const talk = talkUnknown(c)
          ? { answeredAt: null, talkMs: null }
          : { answeredAt: new Date(at).toISOString(), talkMs: t - at };
        events.push({
          id: `seed_${callId}_c`,
          type: 'call.summary',
          timestamp: new Date(t).toISOString(),
          data: { ...context, held: false, holdCount, totalHeldMs: total, longestHoldMs: longest, ...talk },
        });
        at = t + 30_000 + Math.floor(next() * 15 * 60_000);
      }
    }
    byUser.set(userId, events);
  }
  return byUser;
}

export interface SeedTarget {
  /** The app server's `/api/events`. */
  eventsUrl: string;
  /** The portal's DOMAIN (host:port), as the worker sends it. */
  domain: string;
  /** A token this portal issues for the user. */
  tokenFor(userId: number): string;
}

/** Sends each operator's events in batches of 100 (operators side by side); resolves with the counts. */
export async function sendSeed(
  target: SeedTarget,
  byUser: Map<number, SeedEvent[]>,
): Promise<{ holds: number; events: number; stored: number }> {
  let stored = 0;
  let events = 0;
  await Promise.all(
    [...byUser].map(async ([userId, list]) => {
      const token = target.tokenFor(userId);
      for (let i = 0; i < list.length; i += 100) {
        const batch = list.slice(i, i + 100);
        const response = await fetch(target.eventsUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-portal-domain': target.domain,
          },
          body: JSON.stringify({ events: batch }),
        });
        const body = (await response.json().catch(() => ({}))) as { stored?: number; error?: string };
        if (!response.ok) throw new Error(`the app's server answered ${response.status}: ${body.error ?? ''}`);
        stored += body.stored ?? 0;
        events += batch.length;
      }
    }),
  );
  const holds = [...byUser.values()].reduce((n, list) => n + list.filter((e) => e.type === 'hold.started').length, 0);
  return { holds, events, stored };
}

/**
 * Asks the app's server for the seeded days' report once, as an admin, so "seeded" means ready to show:
 * the server brings its sums up to date for what a bulk load touched before answering, which is
 * seconds for a month, and an admin's first look at the report is then as quick as any other.
 */
export async function sumSeed(
  target: { reportUrl: string; domain: string; adminToken: string },
  days: number,
  now: number,
): Promise<void> {
  // The days monthOfHolds fills: `days` UTC days up to and including today.
  const to = new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS);
  const from = new Date(to.getTime() - days * DAY_MS);
  const url = new URL(target.reportUrl);
  url.search = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), tz: 'UTC' }).toString();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${target.adminToken}`, 'x-portal-domain': target.domain },
  });
  if (!response.ok) throw new Error(`the app's server answered the report with ${response.status}`);
  await response.arrayBuffer();
}
