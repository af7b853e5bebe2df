/** A plain object (not null, not an array): what JSON objects and untrusted payloads are checked with. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
