/**
 * Where the browser denies a frame storage and Web Locks, two worker frames of one operator (a
 * slider, the desktop app) each see the same click and keep their own state. They agree over a
 * BroadcastChannel, which the browser still allows them: frames announce themselves, and while
 * another frame is around each event id is claimed, and after a short window only the frame with
 * the lowest rank acts on it. A frame alone acts at once. Without a channel every frame acts, and
 * receivers drop duplicates by id.
 */
export interface FrameClaims {
  /** Resolves true when this frame should act on `id`; false when another frame claimed it first. */
  win(id: string): Promise<boolean>;
  /** How many other frames it has heard from and not yet said goodbye. */
  peers(): number;
  close(): void;
}

/** Long enough for a claim to cross between frames of one page, short enough not to delay a hold much. */
export const CLAIM_WINDOW_MS = 100;
const MAX_TRACKED = 2000;

type Message = { t: 'hello' | 'here' | 'bye'; rank: number } | { t: 'claim'; id: string; rank: number };

export function createFrameClaims(name: string, windowMs = CLAIM_WINDOW_MS, rank = Math.random()): FrameClaims {
  let channel: BroadcastChannel | null = null;
  try {
    channel = new BroadcastChannel(name);
  } catch {
    channel = null;
  }
  const peers = new Set<number>();
  const claims = new Map<string, number>();
  const post = (message: Message): boolean => {
    try {
      channel?.postMessage(message);
      return channel !== null;
    } catch {
      return false;
    }
  };
  channel?.addEventListener('message', (event: MessageEvent) => {
    const message = read(event.data);
    if (!message || message.rank === rank) return;
    if (message.t === 'bye') peers.delete(message.rank);
    else peers.add(message.rank);
    if (message.t === 'hello') post({ t: 'here', rank });
    if (message.t === 'claim') {
      claims.set(message.id, Math.min(message.rank, claims.get(message.id) ?? Infinity));
      if (claims.size > MAX_TRACKED) claims.delete(claims.keys().next().value as string);
    }
  });
  post({ t: 'hello', rank });
  return {
    async win(id) {
      if (peers.size === 0 && !claims.has(id)) {
        post({ t: 'claim', id, rank });
        return true;
      }
      if (!post({ t: 'claim', id, rank })) return true;
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      return !((claims.get(id) ?? Infinity) < rank);
    },
    peers: () => peers.size,
    close() {
      post({ t: 'bye', rank });
      channel?.close();
      channel = null;
    },
  };
}

function read(data: unknown): Message | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as Record<string, unknown>;
  if (typeof m.rank !== 'number') return null;
  if (m.t === 'hello' || m.t === 'here' || m.t === 'bye') return { t: m.t, rank: m.rank };
  if (m.t === 'claim' && typeof m.id === 'string') return { t: 'claim', id: m.id, rank: m.rank };
  return null;
}
