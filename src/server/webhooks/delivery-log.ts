// What the dispatcher tells the server log, kept short whatever the queue holds: a receiver is named
// by origin and path (a query string may carry a secret), and its failures are summarised once a
// minute per webhook (a count, the last error, a few event ids), not written once per event.
import type { Clock } from '../clock.ts';

export const SUMMARY_EVERY_MS = 60_000;
/** Event ids a line names at most; the rest are counted. */
export const IDS_PER_LINE = 3;

/** A receiver's address as the log shows it: origin and path, never a query string or fragment. */
export function loggedUrl(url: string): string {
  if (!URL.canParse(url)) return '(not a URL)';
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname}`;
}

export function idList(ids: readonly string[], total = ids.length): string {
  const shown = ids.slice(0, IDS_PER_LINE).join(', ');
  return total > IDS_PER_LINE ? `${shown} and ${total - IDS_PER_LINE} more` : shown;
}

export interface WebhookRef {
  id: string;
  url: string;
}

export interface DeliveryLog {
  /** An attempt failed and the row waits for another. */
  failed(webhook: WebhookRef, eventId: string, error: string): void;
  /** The row was given up: after its tries, or older than the webhook's maxAgeMs. */
  gaveUp(webhook: WebhookRef, eventId: string, why: string): void;
  /** Something to say at once (410 Gone, a full queue), at most once a minute per webhook and kind. */
  notice(webhook: WebhookRef, kind: string, line: string): void;
  /** Writes what is still summed up (the server is closing). */
  flush(): void;
}

interface Tally {
  label: string;
  failed: number;
  lastError: string;
  gaveUp: number;
  gaveUpIds: string[];
  lastWhy: string;
  /** Whether a line was written in this minute: then the rest waits for the summary. */
  wrote: boolean;
  cancel: (() => void) | null;
}

export function createDeliveryLog(warn: (line: string) => void, clock: Clock): DeliveryLog {
  const tallies = new Map<string, Tally>();
  const notices = new Map<string, number>();
  const label = (webhook: WebhookRef) => `webhook ${webhook.id} (${loggedUrl(webhook.url)})`;

  const write = (tally: Tally, within: string): void => {
    const parts: string[] = [];
    if (tally.failed > 0)
      parts.push(
        `${tally.failed} ${tally.failed === 1 ? 'attempt' : 'attempts'} failed${within}, the last: ${tally.lastError}`,
      );
    if (tally.gaveUp > 0)
      parts.push(
        `${tally.gaveUp} ${tally.gaveUp === 1 ? 'event' : 'events'} given up (${tally.lastWhy}): ${idList(tally.gaveUpIds, tally.gaveUp)}`,
      );
    if (parts.length > 0) warn(`${tally.label}: ${parts.join('; ')}`);
    Object.assign(tally, { failed: 0, gaveUp: 0, gaveUpIds: [], wrote: parts.length > 0 });
  };
  const summarise = (id: string): void => {
    const tally = tallies.get(id);
    if (!tally) return;
    tally.cancel = null;
    write(tally, ' in the last minute');
    // Quiet for a whole minute: the next failure is written at once again.
    if (tally.wrote) tally.cancel = clock.after(SUMMARY_EVERY_MS, () => summarise(id));
    else tallies.delete(id);
  };
  const tallyOf = (webhook: WebhookRef): Tally => {
    let tally = tallies.get(webhook.id);
    if (!tally) {
      tally = {
        label: label(webhook),
        failed: 0,
        lastError: '',
        gaveUp: 0,
        gaveUpIds: [],
        lastWhy: '',
        wrote: false,
        cancel: null,
      };
      tallies.set(webhook.id, tally);
    }
    return tally;
  };
  const after = (webhook: WebhookRef, tally: Tally): void => {
    if (tally.cancel) return; // within the minute: summed up at its end
    write(tally, '');
    tally.cancel = clock.after(SUMMARY_EVERY_MS, () => summarise(webhook.id));
  };

  return {
    failed(webhook, eventId, error) {
      const tally = tallyOf(webhook);
      tally.failed++;
      tally.lastError = `${error} (event ${eventId})`;
      after(webhook, tally);
    },
    gaveUp(webhook, eventId, why) {
      const tally = tallyOf(webhook);
      tally.gaveUp++;
      tally.lastWhy = why;
      if (tally.gaveUpIds.length < IDS_PER_LINE) tally.gaveUpIds.push(eventId);
      after(webhook, tally);
    },
    notice(webhook, kind, line) {
      const key = `${webhook.id}\n${kind}`;
      const last = notices.get(key);
      const now = clock.now();
      if (last !== undefined && now - last < SUMMARY_EVERY_MS) return;
      if (notices.size > 1000) for (const [old, at] of notices) if (now - at >= SUMMARY_EVERY_MS) notices.delete(old);
      notices.set(key, now);
      warn(`${label(webhook)}: ${line}`);
    },
    flush() {
      for (const [id, tally] of tallies) {
        tally.cancel?.();
        write(tally, ' in the last minute');
        tallies.delete(id);
      }
    },
  };
}
