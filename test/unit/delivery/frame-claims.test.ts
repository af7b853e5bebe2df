import { afterEach, describe, expect, it } from 'vitest';
import { createFrameClaims, type FrameClaims } from '../../../src/delivery/frame-claims.ts';

let open: FrameClaims[] = [];
/** Frames on one channel, one per rank, that have heard each other; closed after each test. */
async function frames(channel: string, windowMs: number, ...ranks: number[]): Promise<FrameClaims[]> {
  const created = ranks.map((rank) => createFrameClaims(channel, windowMs, rank));
  open.push(...created);
  await expect.poll(() => created.map((claims) => claims.peers())).toEqual(ranks.map(() => ranks.length - 1));
  return created;
}
afterEach(() => {
  open.forEach((claims) => claims.close());
  open = [];
});

describe('frames without storage agreeing on which acts on an event', () => {
  it('lets only the lowest-ranked of two frames that claim the same id act on it', async () => {
    const [a, b] = (await frames('claims-test-1', 30, 0.2, 0.7)) as [FrameClaims, FrameClaims];
    expect(await Promise.all([a.win('evt_1'), b.win('evt_1')])).toEqual([true, false]);
  });

  it('lets a frame alone act at once, without waiting for the claim window', async () => {
    const [a] = (await frames('claims-test-2', 60_000, 0.9)) as [FrameClaims];
    expect(await a.win('evt_1')).toBe(true);
    expect(await a.win('evt_2')).toBe(true);
  });

  it('acts alone again once the other frame has said goodbye', async () => {
    const [a, b] = (await frames('claims-test-3', 60_000, 0.9, 0.1)) as [FrameClaims, FrameClaims];
    b.close();
    await expect.poll(() => a.peers()).toBe(0);
    expect(await a.win('evt_1')).toBe(true);
  });

  it('does not hold back a frame for ids other frames claimed', async () => {
    const [a, b] = (await frames('claims-test-4', 30, 0.5, 0.1)) as [FrameClaims, FrameClaims];
    expect(await Promise.all([a.win('evt_a'), b.win('evt_b')])).toEqual([true, true]);
  });

  it('ignores messages that are not its own kind', async () => {
    const noise = new BroadcastChannel('claims-test-5');
    const [a] = (await frames('claims-test-5', 60_000, 0.5)) as [FrameClaims];
    noise.postMessage({ t: 'claim', id: 'evt_1', rank: 'low' });
    noise.postMessage('evt_1');
    // A frame's hello and goodbye sent after the noise: once it has heard both, it has read the noise too.
    noise.postMessage({ t: 'hello', rank: 0.77 });
    await expect.poll(() => a.peers()).toBe(1);
    noise.postMessage({ t: 'bye', rank: 0.77 });
    await expect.poll(() => a.peers()).toBe(0);
    expect(await a.win('evt_1')).toBe(true);
    noise.close();
  });
});
