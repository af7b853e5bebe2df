// Installs the app in the simulated portal as its installer does (the worker registered, the app
// events bound to the server), then lets the portal post ONAPPINSTALL: the server holds the app's
// credentials afterwards. For stacks started with `credentials: true`.
import { APP_EVENTS } from '../../src/app/install.ts';
import { bindParams, workerTarget } from '../../src/app/registration.ts';
import type { Delivery } from '../../src/simulator/app-lifecycle.ts';
import { ADMIN } from '../../src/simulator/rest-portal.ts';
import type { Stack } from './stack.ts';

/** REST as the app page calls it, with an admin's frame token. */
export async function restAsAdmin(
  stack: Stack,
  method: string,
  params: Record<string, unknown>,
): Promise<{ result?: unknown; error?: string }> {
  const auth = stack.simulator.rest.grant(ADMIN).AUTH_ID;
  const response = await fetch(`${stack.simulator.url}/rest/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, auth }),
  });
  return response.json() as Promise<{ result?: unknown; error?: string }>;
}

export async function installApp(stack: Stack): Promise<Delivery> {
  const { lifecycle } = stack.simulator;
  if (!lifecycle) throw new Error('start the stack with credentials: true');
  const handler = new URL('/api/portal/events', stack.appUrl).href;
  await restAsAdmin(stack, 'placement.bind', bindParams(workerTarget(new URL('/app/', stack.appUrl).href), null));
  for (const event of APP_EVENTS) await restAsAdmin(stack, 'event.bind', { event, handler });
  const [delivery] = await lifecycle.installed();
  if (!delivery || delivery.status !== 200) throw new Error(`the install was not taken: ${JSON.stringify(delivery)}`);
  return delivery;
}
