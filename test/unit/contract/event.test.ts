import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { HoldEventSchema } from '../../../src/contract/event.ts';
import { initialState, transition } from '../../../src/hold/state.ts';
import type { HoldEvent, HoldInput } from '../../../src/hold/types.ts';
import { checkBatch } from '../../../src/server/holds/event-schema.ts';
import { CONTEXT, IDENTITY } from '../../support/fixtures.ts';

const T0 = Date.parse('2031-06-15T08:00:00Z');

/** Every kind of event the worker makes: holds resumed, a failed hold, a hold ended by the hang-up, the summary. */
function workerEvents(): HoldEvent[] {
  const steps: [number, HoldInput][] = [
    [0, { kind: 'callInitialized', context: CONTEXT, connected: false }],
    [1000, { kind: 'callAnswered' }],
    [2000, { kind: 'holdClicked', held: true }],
    [5000, { kind: 'holdClicked', held: false }],
    [6000, { kind: 'holdClicked', held: true }],
    [9000, { kind: 'callEnded', reason: 'hangup' }],
  ];
  let state = initialState();
  const events: HoldEvent[] = [];
  for (const [at, input] of steps) {
    const result = transition(state, input, T0 + at, IDENTITY);
    state = result.state;
    events.push(...result.events);
  }
  const held = transition(initialState(), { kind: 'holdClicked', held: true }, T0, IDENTITY);
  const started = held.events[0] as HoldEvent;
  const failed = transition(held.state, { kind: 'holdFailed', event: started, reason: 'HTTP 503' }, T0, IDENTITY);
  return [...events, ...failed.events];
}

describe('the event contract', () => {
  it('describes every event the worker makes, exactly', () => {
    const events = workerEvents();
    expect(events.map((e) => e.type)).toEqual([
      'hold.started',
      'hold.ended',
      'hold.started',
      'hold.ended',
      'call.summary',
      'hold.failed',
    ]);
    for (const event of events) expect(v.parse(HoldEventSchema, event)).toEqual(event);
  });

  it('is what the server accepts: every event the worker makes passes its strict check', () => {
    const events = workerEvents();
    const checked = checkBatch({ events }, T0 + 10_000);
    expect(checked).toMatchObject({ ok: true });
    const summary = checked.ok ? checked.events.find((e) => e.type === 'call.summary') : undefined;
    expect(summary?.data).toMatchObject({ answeredAt: new Date(T0 + 1000).toISOString(), talkMs: 8000 });
  });

  it('stays runtime-neutral: no DOM globals and no node: modules, so worker, server and page can import it', () => {
    const dir = join(import.meta.dirname, '../../../src/contract');
    for (const file of readdirSync(dir)) {
      const code = readFileSync(join(dir, file), 'utf8');
      expect(code, file).not.toMatch(/from ['"]node:|\b(window|document|localStorage)\./);
      for (const [, spec] of code.matchAll(/from '([^']+)'/g))
        expect(spec === 'valibot' || spec?.startsWith('./'), `${file} imports ${spec}`).toBe(true);
    }
  });
});
