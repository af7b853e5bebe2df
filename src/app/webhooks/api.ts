import type { PortalLink } from '../../portal/frame-connection.ts';
import type { DeliveryView } from '../../contract/api.ts';
import { serverCall, serverStatus, type Answer } from '../server-api.ts';

export type { Answer };

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

/** `apiBase`: the server's /api/ (the app page is /app/). */
export function webhooksApi(portal: Pick<PortalLink, 'session' | 'operatorToken'>, apiBase = new URL('../api/', location.href).href): WebhooksApi {
  const call = serverCall(portal, `${apiBase}webhooks`);
  return {
    available: () => serverStatus(apiBase),
    list: () => call(''),
    create: (settings) => call('', 'POST', settings),
    rotate: (id) => call(`/${encodeURIComponent(id)}/rotate`, 'POST'),
    remove: (id) => call(`/${encodeURIComponent(id)}`, 'DELETE'),
    deliveries: (id) => call(`/${encodeURIComponent(id)}/deliveries?limit=30`),
    retry: (id, deliveryId) => call(`/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, 'POST'),
  };
}
