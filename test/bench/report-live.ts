// "On hold now" on the report page: from a click on the call card's Hold to the hold listed, through
// the worker's server output, the server and its live stream, on the page the report bench opened.
import type { Frame } from 'playwright-core';
import type { AppPage } from '../support/app-page.ts';

/** Click -> listed, ms, one call with one hold per round. */
export async function measureLiveHolds({ press }: AppPage, frame: Frame, rounds: number): Promise<number[]> {
  await frame.waitForSelector('[data-testid="live-panel"][data-state="live"]', { timeout: 15_000 });
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await press('incoming-call');
    await press('answer');
    // An operator talks before holding: the worker knows the call and who the operator is by then.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const clicked = performance.now();
    await press('hold');
    await frame.waitForSelector('[data-testid="live-hold"]', { timeout: 10_000 });
    samples.push(performance.now() - clicked);
    await press('hangup');
    await frame.waitForSelector('[data-testid="live-hold"]', { state: 'detached', timeout: 10_000 });
  }
  return samples;
}
