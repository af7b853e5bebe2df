import type { HoldEvent } from '../hold/types.ts';
import type { OutputContext, SendOutcome } from './types.ts';

/** What the network may add to the server's own deadline before the worker stops waiting. */
export const NETWORK_SLACK_MS = 500;

/**
 * Confirm mode through the app's server (`POST /api/confirm`): the server stores the hold change and
 * sends it, signed, to the portal's confirming webhooks within `timeoutMs`; its answer says whether
 * they carried it out. No answer in time is a failure: the worker sets the card back.
 */
export async function confirmThroughServer(
  url: string,
  event: HoldEvent,
  timeoutMs: number,
  context: OutputContext,
): Promise<SendOutcome> {
  const deadline = context.now() + timeoutMs + NETWORK_SLACK_MS;
  const post = async (renew: boolean): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${(await context.portal.operatorToken(renew ? { renew } : {})) ?? ''}`,
        'x-portal-domain': context.portal.session.domain,
      },
      body: JSON.stringify({ event, timeoutMs }),
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.timeout(Math.max(1, deadline - context.now())),
    });
  try {
    let response = await post(false);
    if (response.status === 401) response = await post(true);
    const answer = (await response.json().catch(() => null)) as {
      ok?: unknown;
      reason?: unknown;
      error?: unknown;
    } | null;
    if (response.ok && answer?.ok === true) return { ok: true };
    if (response.ok && typeof answer?.reason === 'string') return { ok: false, reason: answer.reason };
    return {
      ok: false,
      reason: `the app server answered HTTP ${response.status}${typeof answer?.error === 'string' ? `: ${answer.error}` : ''}`,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return {
      ok: false,
      reason:
        name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : `the app server is unreachable (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}
