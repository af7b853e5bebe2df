import { frameOrigin, type FrameName } from './frame-name.ts';

/**
 * Subscriptions the worker page makes before its module loads. An inline classic script in the
 * page (src/worker/inline-entry.ts, put there by src/build/inline-script.ts) posts one
 * `placementBindEvent` per event the moment the HTML parser reaches it, the way the SDK's
 * MessageManager does (`placementBindEvent:{"event":...}:<callback key>:<APP_SID>` to the portal's
 * origin, a key in the SDK's format), and keeps the portal's posts to those keys until the adapter
 * (src/portal/adapter.ts) takes them over. The SDK never learns these keys and ignores their
 * messages, as it ignores every key it did not make.
 */
export interface EarlyBinds {
  /** The callback key each event was subscribed with. */
  keys: Record<string, string>;
  /** When the subscriptions were posted (Date.now()). */
  sentAt: number;
  /**
   * Hands the portal's posts to `key` to `deliver`: those kept so far, in order, then each as it
   * arrives. `args` is what follows the key (raw JSON, or '' when the portal sent no result).
   */
  listen(key: string, deliver: (args: string, receivedAt: number) => void): void;
}

/** Where the inline script leaves its subscriptions for the module. */
export const EARLY_BINDS = 'b24HoldRelayBinds';

type Held = [key: string, args: string, at: number];

/** A callback key as the SDK's Text.getUniqId() makes it: a random UUID v4. */
function uniqId(): string {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.trunc(Math.random() * 16);
    return (c === 'x' ? r : (r & 3) | 8).toString(16);
  });
}

/** Posts the subscriptions, in the order given, and starts keeping what the portal sends to them. */
export function earlyBind(frame: FrameName, events: readonly string[]): EarlyBinds {
  const origin = frameOrigin(frame);
  const keys: Record<string, string> = {};
  const held: Held[] = [];
  const listeners = new Map<string, (args: string, receivedAt: number) => void>();
  for (const event of events) {
    const key = uniqId();
    keys[event] = key;
    listeners.set(key, (args, at) => void held.push([key, args, at]));
    parent.postMessage(`placementBindEvent:${JSON.stringify({ event })}:${key}:${frame.appSid}`, origin);
  }
  const sentAt = Date.now();
  // Read as the SDK reads the portal's posts: only from its origin, the key up to the first colon.
  addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== origin || typeof event.data !== 'string') return;
    const [key = '', ...rest] = event.data.split(':');
    listeners.get(key)?.(rest.join(':'), Date.now());
  });
  return {
    keys,
    sentAt,
    listen(key, deliver) {
      if (!listeners.has(key)) return;
      listeners.set(key, deliver);
      for (let i = 0; i < held.length;) {
        const [heldKey, args, at] = held[i] as Held;
        if (heldKey === key) {
          held.splice(i, 1);
          deliver(args, at);
        } else i++;
      }
    },
  };
}

/**
 * The subscriptions the inline script made for this frame, once, or null: it did not run (a CSP
 * without its hash, a test) or they were taken already.
 */
export function takeEarlyBinds(): EarlyBinds | null {
  const global = window as unknown as Record<string, unknown>;
  const found = global[EARLY_BINDS];
  global[EARLY_BINDS] = undefined;
  return found && typeof found === 'object' && 'listen' in found ? (found as EarlyBinds) : null;
}
