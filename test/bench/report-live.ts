// "On hold now" on the report page: from a click on the call card's Hold to the hold listed, through
// the worker's server output, the server and its live stream, on the page the report bench opened.
import type { Frame, Page } from 'playwright-core';

const press = (page: Page, testId: string): Promise<void> =>
  page.evaluate((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).click(), testId);

/** Click -> listed, ms, one call with one hold per round. */
export async function measureLiveHolds(page: Page, frame: Frame, rounds: number): Promise<number[]> {
  await frame.waitForSelector('[data-testid="live-panel"][data-state="live"]', { timeout: 15_000 });
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await press(page, 'incoming-call');
    await press(page, 'answer');
    // An operator talks before holding: the worker knows the call and who the operator is by then.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const clicked = performance.now();
    await press(page, 'hold');
    await frame.waitForSelector('[data-testid="live-hold"]', { timeout: 10_000 });
    samples.push(performance.now() - clicked);
    await press(page, 'hangup');
    await frame.waitForSelector('[data-testid="live-hold"]', { state: 'detached', timeout: 10_000 });
  }
  return samples;
}
