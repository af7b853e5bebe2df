// Token buckets: one per client key and one shared by all, so neither a single sender nor many
// senders together can flood an endpoint. The per-key map is bounded: the least recently seen
// key is evicted first.

export interface RateLimitOptions {
  /** Requests a key may make in a burst, and per minute on average. */
  perKeyPerMinute: number;
  /** Requests all keys together may make per minute (and in a burst); absent: no shared limit. */
  globalPerMinute?: number;
  /** Most keys remembered at once. */
  maxKeys: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

export interface RateLimiter {
  /** Takes one token for `key`; returns 0 when allowed, else milliseconds until a retry can pass. */
  take(key: string): number;
  /** How many keys are remembered (for tests and diagnostics). */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();
  const globalCapacity = options.globalPerMinute ?? Number.POSITIVE_INFINITY;
  const global: Bucket = { tokens: globalCapacity, at: now() };

  const refill = (bucket: Bucket, capacity: number, t: number): void => {
    // An unlimited bucket stays full: Infinity * 0 ms would make it NaN, and NaN refuses nothing.
    if (capacity === Number.POSITIVE_INFINITY) return;
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) * capacity) / 60_000);
    bucket.at = t;
  };
  const waitMs = (bucket: Bucket, capacity: number): number =>
    bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 60_000) / capacity);

  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) buckets.delete(key);
      else bucket = { tokens: options.perKeyPerMinute, at: t };
      buckets.set(key, bucket);
      if (buckets.size > options.maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      refill(bucket, options.perKeyPerMinute, t);
      refill(global, globalCapacity, t);
      const wait = Math.max(waitMs(bucket, options.perKeyPerMinute), waitMs(global, globalCapacity));
      if (wait > 0) return wait;
      bucket.tokens -= 1;
      global.tokens -= 1;
      return 0;
    },
    size: () => buckets.size,
  };
}
