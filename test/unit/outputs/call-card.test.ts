import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import callCard from '../../../src/outputs/call-card.ts';
import type { CardAnswer } from '../../../src/portal/types.ts';
import { createOutput, outputContext, recordingLogger, recordingPortal, sampleEvent } from '../../support/fixtures.ts';
import { testOutputConformance } from '../../support/output-conformance.ts';

const STARTED_AT = Date.parse('2026-11-24T10:15:03.120Z');

function setup(lang = 'en', answer?: () => CardAnswer) {
  const portal = recordingPortal({ lang, ...(answer ? { answer } : {}) });
  const log = recordingLogger();
  const output = createOutput(callCard, {}, outputContext({ portal, log, label: 'outputs[1] (callCard)' }));
  const texts = () => portal.commands.map((c) => c.params.statusText);
  return { portal, log, output, texts };
}

describe('callCard output', () => {
  testOutputConformance(callCard, {});

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(STARTED_AT);
  });
  afterEach(() => vi.useRealTimers());

  it('shows the running hold time every second and clears it when the hold ends', async () => {
    const { output, texts, portal } = setup();
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(3000);
    await output.send(sampleEvent('hold.ended'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(texts()).toEqual(['On hold 0:00', 'On hold 0:01', 'On hold 0:02', 'On hold 0:03', '']);
    expect(portal.commands.every((c) => c.name === 'CallCardSetStatusText')).toBe(true);
  });

  it.each([
    ['ru', 'На удержании 0:00'],
    ['de', 'Gehalten 0:00'],
    ['ua', 'На утриманні 0:00'],
    ['la', 'On hold 0:00'],
  ])('speaks the portal language %s', async (lang, text) => {
    const { output, texts } = setup(lang);
    await output.send(sampleEvent('hold.started'));
    expect(texts()).toEqual([text]);
    output.dispose?.();
  });

  it('logs a card error once, does not throw, and stops ticking when there is no card', async () => {
    const { output, texts, log } = setup('en', () => ({ ok: false, error: 'Call card is undefined' }));
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(texts()).toEqual(['On hold 0:00']);
    expect(log.lines).toEqual([
      'warn: outputs[1] (callCard): the card refused the status text: Call card is undefined',
    ]);
  });

  it('keeps ticking through other card errors, logging each new error once', async () => {
    let n = 0;
    const { output, texts, log } = setup('en', () =>
      n++ === 1 ? { ok: false, error: 'no answer from the portal within 900 ms' } : { ok: true, value: [] },
    );
    await output.send(sampleEvent('hold.started'));
    await vi.advanceTimersByTimeAsync(2000);
    output.dispose?.();
    expect(texts()).toEqual(['On hold 0:00', 'On hold 0:01', 'On hold 0:02']);
    expect(log.lines).toHaveLength(1);
  });

  it('takes over a hold begun in an earlier frame with its original start time', async () => {
    const started = sampleEvent('hold.started');
    vi.setSystemTime(STARTED_AT + 42_000);
    const { output, texts } = setup();
    output.resume?.({ started });
    await vi.advanceTimersByTimeAsync(1000);
    output.dispose?.();
    expect(texts()).toEqual(['On hold 0:42', 'On hold 0:43']);
  });

  it('tells the operator why a hold failed', async () => {
    const { output, texts } = setup('en');
    await output.send(sampleEvent('hold.failed', { reason: 'PBX unreachable' }));
    expect(texts()).toEqual(['Hold failed: PBX unreachable']);
  });

  it('stops ticking when disposed', async () => {
    const { output, texts } = setup();
    await output.send(sampleEvent('hold.started'));
    output.dispose?.();
    await vi.advanceTimersByTimeAsync(3000);
    expect(texts()).toEqual(['On hold 0:00']);
  });
});
