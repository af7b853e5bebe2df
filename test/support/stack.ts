import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { parseServerConfig } from '../../src/server/config.ts';
import type { LogSink } from '../../src/server/http/request-log.ts';
import { startServer, type ServerHooks } from '../../src/server/http/server.ts';
import { startSimulator, type Simulator } from '../../src/simulator/server.ts';
import { SIM_CREDENTIALS } from '../../src/simulator/rest-portal.ts';

/** The built app on one site (localhost) and the portal simulator on another (127.0.0.1), as in production. */
export interface Stack {
  appUrl: string;
  simulator: Simulator;
  /** Stops the app server alone (once), e.g. to open its embedded database afterwards. */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export interface StackOptions {
  /** The built app to serve; default the repository's dist/. */
  distDir?: string;
  /** The page the simulator shows as the app's monitor. */
  monitorUrl?: string;
  /** The simulator's initial holdRelay option (null: none). */
  option?: string | null;
  /** More server settings, e.g. `{ STATS: 'on', DATA_DIR }`; statistics are off unless given. */
  env?: Record<string, string>;
  /** The simulator's port (the portal's DOMAIN is 127.0.0.1:<port>); default a free one. */
  simPort?: number;
  /** The app's own credentials on both sides: the simulator plays the OAuth server, the server holds tokens. */
  credentials?: boolean;
  /** With `credentials`: how long the simulated OAuth server's access tokens live (default 3600 s). */
  credentialsAccessSeconds?: number;
  /** What the test changes in the server (the webhook dispatcher's clock). */
  hooks?: ServerHooks;
  /** Where the server's log lines go (its warnings, e.g.); default standard output. */
  log?: LogSink;
}

/** Ports are probed free, then bound: another process may take one in between, so a taken one is tried again. */
const BIND_ATTEMPTS = 5;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startStackOnce(options, options.simPort ?? (await freePort()));
    } catch (error) {
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!taken || options.simPort !== undefined || attempt === BIND_ATTEMPTS) throw error;
    }
  }
}

async function startStackOnce(options: StackOptions, simPort: number): Promise<Stack> {
  const simOrigin = `http://127.0.0.1:${simPort}`;
  // The app binds port 0, so only the simulator's port (which the app's PORTAL_ORIGINS names) can be raced.
  const app = await startServer(
    parseServerConfig({
      PORT: '0',
      HOST: 'localhost',
      DIST_DIR: options.distDir ?? resolve(import.meta.dirname, '../../dist'),
      PORTAL_ORIGINS: simOrigin,
      LOG_FORMAT: 'none',
      DEV_ORIGINS: '1',
      STATS: 'off',
      // Tests start many servers on tiny databases: the start-up warm-up would only slow them.
      WARM_UP_MS: '0',
      ...(options.credentials
        ? {
            B24_CLIENT_ID: SIM_CREDENTIALS.clientId,
            B24_CLIENT_SECRET: SIM_CREDENTIALS.clientSecret,
            B24_OAUTH_URL: simOrigin,
          }
        : {}),
      ...options.env,
    }),
    options.log,
    undefined,
    options.hooks,
  );
  const appUrl = `http://localhost:${app.port}/`;
  let simulator: Simulator;
  try {
    simulator = await startSimulator({
      port: simPort,
      host: '127.0.0.1',
      appUrl,
      ...(options.monitorUrl === undefined ? {} : { monitorUrl: options.monitorUrl }),
      ...(options.option === undefined ? {} : { option: options.option }),
      ...(options.credentials
        ? {
            credentials: {
              ...SIM_CREDENTIALS,
              ...(options.credentialsAccessSeconds ? { accessSeconds: options.credentialsAccessSeconds } : {}),
            },
          }
        : {}),
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  let stopped: Promise<void> | null = null;
  const stopServer = (): Promise<void> => (stopped ??= app.close());
  return {
    appUrl,
    simulator,
    stopServer,
    async close() {
      await simulator.close();
      await stopServer();
    },
  };
}
