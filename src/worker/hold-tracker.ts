import { restoreState } from '../hold/restore.ts';
import { transition } from '../hold/state.ts';
import type { HoldEvent, HoldInput, HoldState, PortalIdentity } from '../hold/types.ts';
import type { KeyValueStore } from '../storage/browser-storage.ts';

export interface HoldTracker {
  /** Applies one card input at time `at`; returns the events it produced (none for a repeated state). */
  apply(input: HoldInput, at: number, identity: PortalIdentity): HoldEvent[];
  current(now: number): HoldState;
}

/**
 * Keeps the hold state in storage shared by every worker frame of this portal in the browser.
 * Each input reads the latest state first, so a new frame continues a call an old one began, and
 * a click that two frames both receive makes one transition: the second frame sees no change.
 */
export function createHoldTracker(store: KeyValueStore, key: string): HoldTracker {
  const current = (now: number): HoldState => restoreState(store.get(key), now);
  return {
    apply(input, at, identity) {
      const result = transition(current(at), input, at, identity);
      store.set(key, JSON.stringify(result.state));
      return result.events;
    },
    current,
  };
}
