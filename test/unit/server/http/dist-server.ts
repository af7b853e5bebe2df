// The real server with statistics off on a throwaway built site (temp-dist.ts), one per test, with
// every log line it writes kept for the test to read.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';
import { parseServerConfig } from '../../../../src/server/config.ts';
import { startServer, type RunningServer } from '../../../../src/server/http/server.ts';
import { makeDist } from '../temp-dist.ts';

/** A placement error notice as the portal posts it, tokens included. */
export const NOTICE =
  'error=ERROR_PLACEMENT_LOADING_OVERTIME&error_description=Loading+took+over+5+s&DOMAIN=example.bitrix24.com&member_id=m1&PLACEMENT=PAGE_BACKGROUND_WORKER&AUTH_ID=secret-auth-token&auth%5Baccess_token%5D=secret-token';
export const PORTAL_FORM =
  'DOMAIN=example.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=sid123&AUTH_ID=secret-auth-token&REFRESH_ID=secret-refresh&member_id=m1&PLACEMENT=PAGE_BACKGROUND_WORKER';

export interface DistServer {
  /** The server now running; a test may close it and put another in its place. */
  server: RunningServer;
  dist: string;
  /** Every line the server logged since it started. */
  lines: string[];
  url(path: string): string;
  postForm(path: string, body: string): Promise<Response>;
  /** Closes the server, removes its site and starts anew on a fresh one with `env`. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Waits until the server has logged a line that matches. */
  logged(pattern: RegExp): Promise<void>;
}

/** A server started before each test (with `env`, and the app page unless `withApp` is false) and closed after it. */
export function useDistServer(env: Record<string, string> = {}, withApp = true): DistServer {
  const start = async (more: Record<string, string>): Promise<void> => {
    running.dist = makeDist(withApp);
    running.lines = [];
    running.server = await startServer(
      parseServerConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DIST_DIR: running.dist,
        PORTAL_ORIGINS: 'https://example.bitrix24.com,https://*.bitrix24.de',
        STATS: 'off',
        ...more,
      }),
      (line) => running.lines.push(line),
    );
  };
  const stop = async (): Promise<void> => {
    await running.server.close();
    rmSync(running.dist, { recursive: true, force: true });
  };
  const running: DistServer = {
    server: undefined as unknown as RunningServer,
    dist: '',
    lines: [],
    url: (path) => new URL(path, running.server.url).href,
    postForm: (path, body) =>
      fetch(running.url(path), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    async restart(more = {}) {
      await stop();
      await start({ ...env, ...more });
    },
    logged: (pattern) => expect.poll(() => running.lines.some((line) => pattern.test(line))).toBe(true),
  };
  beforeEach(() => start(env));
  afterEach(stop);
  return running;
}
