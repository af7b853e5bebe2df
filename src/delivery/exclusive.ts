/** Runs a task while holding a named lock. */
export type Exclusive = (name: string, task: () => Promise<void>) => Promise<void>;

/**
 * Web Locks, shared by every worker frame of the portal in this browser, so one frame at a time
 * delivers a receiver's queue. Where the browser denies them (SecurityError in a third-party frame
 * without storage), a lock within this frame only.
 */
export function createExclusive(locks: LockManager | undefined = globalThis.navigator?.locks): Exclusive {
  const local = localMutex();
  let shared = locks !== undefined;
  return async (name, task) => {
    if (shared && locks) {
      let started = false;
      try {
        await locks.request(name, () => ((started = true), task()));
        return;
      } catch (error) {
        if (started || !(error instanceof DOMException && error.name === 'SecurityError')) throw error;
        shared = false;
      }
    }
    await local(name, task);
  };
}

function localMutex(): Exclusive {
  const tails = new Map<string, Promise<void>>();
  return (name, task) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => {});
    tails.set(name, tail);
    void tail.then(() => tails.get(name) === tail && tails.delete(name));
    return run;
  };
}
