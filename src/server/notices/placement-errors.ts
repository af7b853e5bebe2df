// The portal's deactivation notice (`errorHandlerUrl`): when the worker loaded too slowly too often,
// the portal deletes the placement and POSTs e.g. `error=ERROR_PLACEMENT_LOADING_OVERTIME` here,
// without auth. Anyone can post, so everything is bounded and nothing secret-looking is kept.

export const NOTICE_MAX_FIELDS = 50;
export const NOTICE_MAX_VALUE_CHARS = 512;
/** Keys and values of one stored notice together, so the list's memory stays small. */
export const NOTICE_MAX_CHARS = 8192;
const MAX_KEY_CHARS = 100;
/** Nesting flattened into `a[b][c]` keys; deeper values are kept as JSON text. */
const MAX_DEPTH = 4;
/** Nesting a JSON body may have at all: checked before parsing, so no deep value is ever built. */
export const NOTICE_MAX_JSON_DEPTH = 16;

/** One stored notice, as `GET /placement-error` lists it. */
export interface PlacementErrorNotice {
  receivedAt: string;
  /** The error code, e.g. ERROR_PLACEMENT_LOADING_OVERTIME. */
  error: string;
  description: string | null;
  /** The portal, when the notice names it (DOMAIN, auth[domain]). */
  domain: string | null;
  memberId: string | null;
  placement: string | null;
  /** Every field kept (truncated), without auth, tokens or session ids. */
  fields: Record<string, string>;
  /** Fields dropped beyond the field or size limit. */
  droppedFields: number;
  /**
   * Always false: the portal sends notices without credentials, so anyone can post one naming any
   * portal. Show it as a claim, not as a fact.
   */
  verified: false;
}

export type NoticeParse = { ok: true; notice: PlacementErrorNotice } | { ok: false; status: 400 | 415; reason: string };

// Keys whose values may be credentials: AUTH_ID, REFRESH_ID, auth[access_token], APP_SID, ...
const SECRET_KEY = /auth|refresh|token|secret|passw|sid\b|_sid|sign/i;

const ALIASES = {
  error: ['error', 'data[error]', 'error_code', 'data[error_code]', 'code'],
  description: ['error_description', 'data[error_description]', 'message'],
  domain: ['domain', 'auth[domain]', 'data[domain]'],
  memberId: ['member_id', 'auth[member_id]', 'data[member_id]', 'memberid'],
  placement: ['placement', 'data[placement]'],
} as const;

/** Parses a form-encoded or JSON notice body (already size-bounded by the caller). */
export function parsePlacementNotice(
  body: Buffer,
  contentType: string | undefined,
  receivedAt = new Date(),
): NoticeParse {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = body.toString('utf8');
  const looksJson = /^\s*[{[]/.test(text);
  let pairs: [string, string][];
  if (type === 'application/json' || (looksJson && (type === '' || type === 'text/plain'))) {
    if (jsonDepth(text) > NOTICE_MAX_JSON_DEPTH) {
      return { ok: false, status: 400, reason: `the JSON body is nested deeper than ${NOTICE_MAX_JSON_DEPTH} levels` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, status: 400, reason: 'the body is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, status: 400, reason: 'the JSON body is not an object' };
    }
    pairs = [];
    flatten(parsed as Record<string, unknown>, '', 0, pairs);
  } else if (type === 'application/x-www-form-urlencoded' || type === '' || type === 'text/plain') {
    pairs = [];
    for (const pair of new URLSearchParams(text)) {
      pairs.push(pair);
      if (pairs.length > NOTICE_MAX_FIELDS * 4) break;
    }
  } else {
    return { ok: false, status: 415, reason: 'send application/x-www-form-urlencoded or application/json' };
  }

  const all = new Map<string, string>();
  for (const [key, value] of pairs) {
    const k = clean(key, MAX_KEY_CHARS);
    if (k && !all.has(k)) all.set(k, clean(value, NOTICE_MAX_VALUE_CHARS));
  }
  const pick = (names: readonly string[]): string | null => {
    for (const [key, value] of all) if (value && names.includes(key.toLowerCase())) return value;
    return null;
  };
  const error = pick(ALIASES.error) ?? [...all.values()].find((v) => /^ERROR_[A-Z0-9_]+$/.test(v)) ?? null;
  if (error === null) return { ok: false, status: 400, reason: 'not a placement error notice: no "error" field' };

  const fields: Record<string, string> = {};
  let kept = 0;
  let chars = 0;
  let droppedFields = 0;
  for (const [key, value] of all) {
    if (SECRET_KEY.test(key)) continue;
    chars += key.length + value.length;
    if (kept >= NOTICE_MAX_FIELDS || chars > NOTICE_MAX_CHARS) droppedFields += 1;
    else {
      fields[key] = value;
      kept += 1;
    }
  }
  return {
    ok: true,
    notice: {
      receivedAt: receivedAt.toISOString(),
      error,
      description: pick(ALIASES.description),
      domain: pick(ALIASES.domain),
      memberId: pick(ALIASES.memberId),
      placement: pick(ALIASES.placement),
      fields,
      droppedFields,
      verified: false,
    },
  };
}

/** The deepest nesting of arrays and objects in JSON text (strings skipped), without parsing it. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, (depth += 1));
    else if (char === '}' || char === ']') depth -= 1;
  }
  return deepest;
}

function flatten(value: Record<string, unknown>, prefix: string, depth: number, out: [string, string][]): void {
  for (const [key, item] of Object.entries(value)) {
    if (out.length > NOTICE_MAX_FIELDS * 4) return;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (item !== null && typeof item === 'object' && depth < MAX_DEPTH)
      flatten(item as Record<string, unknown>, name, depth + 1, out);
    else out.push([name, typeof item === 'string' ? item : (JSON.stringify(item) ?? '')]);
  }
}

/**
 * Turns C0 control characters (line breaks included) into spaces, drops C1 controls, bidi
 * embeddings, overrides and isolates and the Unicode line and paragraph separators (they could
 * forge log lines or make a notice read differently on screen), cuts to `max` characters, and
 * turns a half of a surrogate pair (a cut through an emoji, or a lone `\ud800` in JSON) into
 * U+FFFD, as UTF-8 (a log, a database) would, so every notice store gives back the same text.
 */
function clean(value: string, max: number): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, '')
      .slice(0, max)
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}
