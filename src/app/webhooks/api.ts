import type { PortalLink } from '../../portal/frame-connection.ts';
import type { DeliveryView } from '../../server/webhooks/queue.ts';

/** A server-side webhook as the server lists it (never with its secret). */
export interface ServerWebhook {
  id: string;
  url: string;
  on: string[];
  confirm: boolean;
  timeoutMs: number;
  maxAgeMs: number;
  previousSecretUntil: string | null;
  stopped: { at: string; reason: string } | null;
  /** Deliveries waiting; at most maxPending wait, and beyond it (capped) new ones are not queued. */
  pending: number;
  maxPending: number;
  capped: boolean;
  /** Deliveries not queued because the queue was full, since the webhook was made. */
  notQueued: number;
}

/** A delivery as the server's delivery log shows it (the type is the server's own; nothing of it is bundled). */
export type Delivery = DeliveryView;

export type Answer<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** The app server's webhook endpoints, called with the admin's own token (the server asks the portal who it is). */
export interface WebhooksApi {
  /** Whether this server keeps statistics, which server-side webhooks need (`GET /api/status`): asked first, so no 404 is logged. */
  available(): Promise<Answer<{ stats: boolean }>>;
  list(): Promise<Answer<{ webhooks: ServerWebhook[] }>>;
  create(settings: Record<string, unknown>): Promise<Answer<{ id: string; secret: string }>>;
  rotate(id: string): Promise<Answer<{ secret: string; previousSecretUntil: string }>>;
  remove(id: string): Promise<Answer<{ deleted: boolean }>>;
  deliveries(id: string): Promise<Answer<{ deliveries: Delivery[] }>>;
  retry(id: string, deliveryId: string): Promise<Answer<{ queued: boolean }>>;
}

async function read<T>(request: Promise<Response>): Promise<Answer<T>> {
  try {
    const response = await request;
    const answer = (await response.json().catch(() => null)) as T | null;
    return response.ok && answer ? { ok: true, value: answer } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `apiBase`: the server's /api/ (the app page is /app/). */
export function webhooksApi(portal: Pick<PortalLink, 'session' | 'operatorToken'>, apiBase = new URL('../api/', location.href).href): WebhooksApi {
  const base = `${apiBase}webhooks`;
  const call = async <T>(path: string, method = 'GET', body?: unknown): Promise<Answer<T>> => {
    try {
      const token = await portal.operatorToken();
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token ?? ''}`, 'x-portal-domain': portal.session.domain, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
      const answer = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
      if (response.ok && answer) return { ok: true, value: answer };
      return { ok: false, status: response.status, error: typeof answer?.error === 'string' ? answer.error : `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: 0, error: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    available: () => read(fetch(`${apiBase}status`, { credentials: 'omit', cache: 'no-store', redirect: 'error' })),
    list: () => call(''),
    create: (settings) => call('', 'POST', settings),
    rotate: (id) => call(`/${encodeURIComponent(id)}/rotate`, 'POST'),
    remove: (id) => call(`/${encodeURIComponent(id)}`, 'DELETE'),
    deliveries: (id) => call(`/${encodeURIComponent(id)}/deliveries?limit=30`),
    retry: (id, deliveryId) => call(`/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, 'POST'),
  };
}
