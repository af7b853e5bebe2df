import type { ConnectedPortal } from '../../portal/frame-connection.ts';
import type { DeliveryView } from '../../contract/api.ts';
import type { ApiAnswer, WebhookView } from '../../contract/api-routes.ts';
import { serverCall, serverStatus, type Answer } from '../server-api.ts';

export type { Answer };

/**
 * A server-side webhook as the server lists it (never with its secret): deliveries waiting; at most
 * maxPending wait, and beyond it (capped) new ones are not queued.
 */
export type ServerWebhook = WebhookView;

/** A delivery as the server's delivery log shows it (the type is the server's own; nothing of it is bundled). */
export type Delivery = DeliveryView;

/** The app server's webhook endpoints, called with the admin's own token (the server asks the portal who it is). */
export interface WebhooksApi {
  /** Whether this server keeps statistics, which server-side webhooks need (`GET /api/status`): asked first, so no 404 is logged. */
  available(): Promise<Answer<{ stats: boolean }>>;
  list(): Promise<Answer<ApiAnswer<'GET /api/webhooks'>>>;
  create(settings: Record<string, unknown>): Promise<Answer<ApiAnswer<'POST /api/webhooks'>>>;
  rotate(id: string): Promise<Answer<ApiAnswer<'POST /api/webhooks/:id/rotate'>>>;
  remove(id: string): Promise<Answer<ApiAnswer<'DELETE /api/webhooks/:id'>>>;
  deliveries(id: string): Promise<Answer<ApiAnswer<'GET /api/webhooks/:id/deliveries'>>>;
  retry(
    id: string,
    deliveryId: string,
  ): Promise<Answer<ApiAnswer<'POST /api/webhooks/:id/deliveries/:deliveryId/retry'>>>;
}

/** `apiBase`: the server's /api/ (the app page is /app/). */
export function webhooksApi(
  portal: Pick<ConnectedPortal, 'session' | 'operatorToken'>,
  apiBase = new URL('../api/', location.href).href,
): WebhooksApi {
  const call = serverCall(portal, `${apiBase}webhooks`);
  return {
    available: () => serverStatus(apiBase),
    list: () => call(''),
    create: (settings) => call('', 'POST', settings),
    rotate: (id) => call(`/${encodeURIComponent(id)}/rotate`, 'POST'),
    remove: (id) => call(`/${encodeURIComponent(id)}`, 'DELETE'),
    deliveries: (id) => call(`/${encodeURIComponent(id)}/deliveries?limit=30`),
    retry: (id, deliveryId) =>
      call(`/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`, 'POST'),
  };
}
