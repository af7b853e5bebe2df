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
export function createHoldTracker(
  store: KeyValueStore,
  key: string,
  saved?: (events: HoldEvent[]) => void,
): HoldTracker {
  const current = (now: number): HoldState => restoreState(store.get(key), now);
  return {
    apply(input, at, identity) {
      const result = transition(current(at), input, at, identity);
      store.set(key, JSON.stringify(result.state));
      // In the same synchronous step as the state: a page hidden right after cannot keep one without the other.
      if (result.events.length > 0) saved?.(result.events);
      return result.events;
    },
    current,
  };
}
