// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FLOOR_PAGE, FLOOR_SCRIPT } from '../../bench/floor.ts';
import { subscribeRatios } from '../../bench/subscribe-time.ts';
import { parseAppMessage } from '../../../src/simulator/page/protocol.ts';

/** Runs the floor's script against a stand-in window named as the portal names a worker frame. */
function runFloor(name: string): { message: unknown; origin: string }[] {
  const posted: { message: unknown; origin: string }[] = [];
  const parent = { postMessage: (message: unknown, origin: string) => void posted.push({ message, origin }) };
  new Function('window', 'parent', FLOOR_SCRIPT)({ name }, parent);
  return posted;
}

describe('the floor page', () => {
  it('posts one placementBindEvent for the hold click that the portal accepts, to the portal origin from window.name', () => {
    const posted = runFloor('127.0.0.1:8090|0|a1b2c3');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.origin).toBe('http://127.0.0.1:8090');
    expect(parseAppMessage(posted[0]?.message)).toEqual({
      method: 'placementBindEvent',
      params: { event: 'BackgroundCallCard::holdButtonClick' },
      callback: 'floor',
      appSid: 'a1b2c3',
    });
    expect(runFloor('example.bitrix24.com|1|sid')[0]?.origin).toBe('https://example.bitrix24.com');
  });

  it('is one inline classic script: no module, no src', () => {
    expect(FLOOR_PAGE.match(/<script/g)).toHaveLength(1);
    expect(FLOOR_PAGE).toContain(`<script>${FLOOR_SCRIPT}</script>`);
  });
});

describe('subscribeRatios', () => {
  it('divides ours by the baseline: the medians of every load, and each round', () => {
    const times = {
      samples: { ours: [10, 12, 14], bare: [20, 20, 20], floor: [10, 10, 10] },
      roundMedians: { ours: [11, 13], bare: [20, 20], floor: [10, 10] },
    };
    expect(subscribeRatios(times, 'floor')).toEqual({ ofMedians: 1.2, perRound: [1.1, 1.3] });
    expect(subscribeRatios(times, 'bare').ofMedians).toBe(0.6);
  });
});
