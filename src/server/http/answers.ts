// Plain-text and JSON answers outside /api, with the headers every such answer had: a length, a
// charset, and no caching. Hono leaves the body out for HEAD.
export type AnswerHeaders = Record<string, string | number>;

function answer(status: number, body: string, type: string, headers: AnswerHeaders): Response {
  const payload = Buffer.from(body);
  const all: Record<string, string> = {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': String(payload.length),
  };
  for (const [name, value] of Object.entries(headers)) all[name] = String(value);
  return new Response(payload, { status, headers: all });
}

export function textAnswer(status: number, text: string, headers: AnswerHeaders = {}): Response {
  return answer(status, `${text}\n`, 'text/plain; charset=utf-8', headers);
}

export function jsonAnswer(status: number, value: unknown, headers: AnswerHeaders = {}): Response {
  return answer(status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

/** A 413 that closes the connection, so the rest of an oversized body is never read. */
export function tooLargeAnswer(limit: number): Response {
  return textAnswer(413, `Request body too large (limit ${limit} bytes).`, { Connection: 'close' });
}

export function methodNotAllowed(allow: string): Response {
  return textAnswer(405, `Method not allowed. Allowed: ${allow}.`, { Allow: allow });
}
