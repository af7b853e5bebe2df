// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createFrameClaims } from '../../../src/delivery/frame-claims.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('frames without storage agreeing on which acts on an event', () => {
  it('lets only the lowest-ranked of two frames that claim the same id act on it', async () => {
    const a = createFrameClaims('claims-test-1', 30, 0.2);
    const b = createFrameClaims('claims-test-1', 30, 0.7);
    await settle();
    const [aWins, bWins] = await Promise.all([a.win('evt_1'), b.win('evt_1')]);
    expect([aWins, bWins]).toEqual([true, false]);
    a.close();
    b.close();
  });

  it('lets a frame alone act at once, without waiting for the claim window', async () => {
    const a = createFrameClaims('claims-test-2', 60_000, 0.9);
    await settle();
    expect(await a.win('evt_1')).toBe(true);
    expect(await a.win('evt_2')).toBe(true);
    a.close();
  });

  it('acts alone again once the other frame has said goodbye', async () => {
    const a = createFrameClaims('claims-test-3', 60_000, 0.9);
    const b = createFrameClaims('claims-test-3', 60_000, 0.1);
    await settle();
    b.close();
    await settle();
    expect(await a.win('evt_1')).toBe(true);
    a.close();
  });

  it('does not hold back a frame for ids other frames claimed', async () => {
    const a = createFrameClaims('claims-test-4', 30, 0.5);
    const b = createFrameClaims('claims-test-4', 30, 0.1);
    await settle();
    const [aWins, bWins] = await Promise.all([a.win('evt_a'), b.win('evt_b')]);
    expect([aWins, bWins]).toEqual([true, true]);
    a.close();
    b.close();
  });

  it('ignores messages that are not its own kind', async () => {
    const a = createFrameClaims('claims-test-5', 60_000, 0.5);
    const noise = new BroadcastChannel('claims-test-5');
    noise.postMessage({ t: 'claim', id: 'evt_1', rank: 'low' });
    noise.postMessage('evt_1');
    await settle();
    expect(await a.win('evt_1')).toBe(true);
    noise.close();
    a.close();
  });
});
