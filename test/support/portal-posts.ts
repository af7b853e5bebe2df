// What the frame posts to the portal, recorded per test: window.postMessage is replaced, timers are
// fake, and `cleanUp` runs after each test (dispose the connection under test there).
import { afterEach, beforeEach, vi } from 'vitest';

export interface Posted {
  message: string;
  origin: string;
}

/** Call at the top of a test file; the returned list is emptied before each test. */
export function recordPortalPosts(cleanUp: () => void): Posted[] {
  const posted: Posted[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    posted.length = 0;
    vi.spyOn(window, 'postMessage').mockImplementation(
      ((message: string, origin: string) => void posted.push({ message, origin })) as never,
    );
  });
  afterEach(() => {
    cleanUp();
    vi.useRealTimers();
  });
  return posted;
}
