// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createDeliveryLog, loggedUrl } from '../../../../src/server/webhooks/delivery-log.ts';
import { fakeClock } from '../../../support/fake-clock.ts';

const hook = { id: 'wh_1', url: 'https://pbx.example.com/hooks/in?token=s3cret#x' };

function recorded() {
  const lines: string[] = [];
  const clock = fakeClock(0);
  return { lines, clock, log: createDeliveryLog((line) => lines.push(line), clock) };
}

describe('the delivery log', () => {
  it('names a receiver by origin and path: a query string (which may hold a secret) never reaches it', () => {
    expect(loggedUrl(hook.url)).toBe('https://pbx.example.com/hooks/in');
    expect(loggedUrl('not a url')).toBe('(not a URL)');
    const { lines, log } = recorded();
    log.failed(hook, 'evt_1', 'HTTP 503');
    log.notice(hook, 'gone', 'answered 410 Gone');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/s3cret|token/);
    expect(lines[0]).toBe(
      'webhook wh_1 (https://pbx.example.com/hooks/in): 1 attempt failed, the last: HTTP 503 (event evt_1)',
    );
  });

  it('writes the first failure at once, then one line a minute per webhook with a count and the last error', () => {
    const { lines, clock, log } = recorded();
    const other = { id: 'wh_2', url: 'https://crm.example.com/' };
    log.failed(hook, 'evt_1', 'HTTP 503');
    for (let i = 2; i <= 500; i++) log.failed(hook, `evt_${i}`, i === 500 ? 'HTTP 502' : 'HTTP 503');
    log.failed(other, 'evt_x', 'connect ECONNREFUSED');
    expect(lines).toHaveLength(2);
    clock.advance(59_999);
    expect(lines).toHaveLength(2);
    clock.advance(1);
    expect(lines.slice(2)).toEqual([
      'webhook wh_1 (https://pbx.example.com/hooks/in): 499 attempts failed in the last minute, the last: HTTP 502 (event evt_500)',
    ]);
    // A quiet minute: nothing is written, and the next failure is written at once again.
    clock.advance(60_000);
    expect(lines).toHaveLength(3);
    clock.advance(60_000);
    log.failed(hook, 'evt_501', 'HTTP 503');
    expect(lines).toHaveLength(4);
  });

  it('names three of the events it gave up and counts the rest, however many there are', () => {
    const { lines, clock, log } = recorded();
    for (let i = 1; i <= 8600; i++) log.gaveUp(hook, `evt_${i}`, "older than the webhook's maxAgeMs");
    clock.advance(60_000);
    expect(lines).toEqual([
      "webhook wh_1 (https://pbx.example.com/hooks/in): 1 event given up (older than the webhook's maxAgeMs): evt_1",
      "webhook wh_1 (https://pbx.example.com/hooks/in): 8599 events given up (older than the webhook's maxAgeMs): evt_2, evt_3, evt_4 and 8596 more",
    ]);
  });

  it('writes a notice once a minute per webhook and kind, and what is summed up when it closes', () => {
    const { lines, clock, log } = recorded();
    log.notice(hook, 'capped', 'the queue is full');
    log.notice(hook, 'capped', 'the queue is full');
    log.notice(hook, 'gone', 'answered 410 Gone');
    clock.advance(60_000);
    log.notice(hook, 'capped', 'the queue is full');
    expect(lines).toHaveLength(3);
    log.failed(hook, 'evt_1', 'HTTP 503');
    log.failed(hook, 'evt_2', 'HTTP 503');
    log.flush();
    expect(lines.slice(3)).toEqual([
      'webhook wh_1 (https://pbx.example.com/hooks/in): 1 attempt failed, the last: HTTP 503 (event evt_1)',
      'webhook wh_1 (https://pbx.example.com/hooks/in): 1 attempt failed in the last minute, the last: HTTP 503 (event evt_2)',
    ]);
    clock.advance(60_000);
    expect(lines).toHaveLength(5);
  });
});
