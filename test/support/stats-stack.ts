// The real server with statistics on (embedded database in a temporary directory) beside the real
// portal simulator, and a client that calls /api/* as the worker and the app page do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, USERS } from '../../src/simulator/rest-portal.ts';
import { freshPgliteDir } from './pglite-template.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export interface StatsStack extends Stack {
  /** The portal's DOMAIN as the worker sends it: host:port of the simulator. */
  domain: string;
  dataDir: string;
  /** A fresh access token the simulated portal issued for the user. */
  tokenFor(userId: number): string;
  api(path: string, init?: ApiInit): Promise<Response>;
}

export interface ApiInit {
  method?: string;
  token?: string | null;
  domain?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `options`: more of the stack's own, such as the simulator's port (for PORTAL_ORIGINS naming it twice). */
export async function startStatsStack(
  env: Record<string, string> = {},
  options: Omit<StackOptions, 'env'> = {},
): Promise<StatsStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-stats-'));
  await freshPgliteDir(dataDir);
  const stack = await startStack({ ...options, env: { STATS: 'on', DATA_DIR: dataDir, ...env } });
  const domain = new URL(stack.simulator.url).host;
  const tokenFor = (userId: number): string => {
    const user = USERS.find((u) => u.id === userId);
    if (!user) throw new Error(`the simulator has no user ${userId}`);
    return stack.simulator.rest.grant(user).AUTH_ID;
  };
  const adminToken = tokenFor(ADMIN.id);
  return {
    ...stack,
    domain,
    dataDir,
    tokenFor,
    api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? adminToken : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const portal = init.domain === undefined ? domain : init.domain;
      if (portal !== null) headers['x-portal-domain'] = portal;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      return fetch(new URL(path, stack.appUrl), {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
      });
    },
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
