import type { HoldEventType } from './types.ts';

/**
 * A deterministic event id: every frame that applies the same change to the same call computes
 * the same id, and a retry reuses it, so receivers can drop duplicates by id.
 */
export function eventId(callKey: string, type: HoldEventType, seq: number): string {
  const source = `${callKey}|${type}|${seq}`;
  return `evt_${hash53(source).toString(36)}${seq.toString(36)}${TYPE_CODES[type]}`;
}

const TYPE_CODES: Record<HoldEventType, string> = {
  'hold.started': 's',
  'hold.ended': 'e',
  'hold.failed': 'f',
  'call.summary': 'c',
};

/** cyrb53: a fast 53-bit string hash; collisions only matter within one portal's calls. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
