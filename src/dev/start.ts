// `npm start`: the built app on one origin and the local portal simulator on another, as a portal
// and an app server would be. Open the simulator's URL and put a call on hold.
import { resolve } from 'node:path';
import { parseServerConfig } from '../server/config.ts';
import { startServer } from '../server/http/server.ts';
import { startSimulator } from '../simulator/server.ts';
import { SIM_CREDENTIALS } from '../simulator/rest-portal.ts';

const appPort = process.env.PORT ?? '8080';
const simPort = Number.parseInt(process.env.SIM_PORT ?? '8090', 10);
// Two sites, as in production: the app on localhost, the portal on 127.0.0.1.
const simOrigin = `http://127.0.0.1:${simPort}`;

async function main(): Promise<void> {
  const config = parseServerConfig({
    DEV_ORIGINS: '1',
    ...process.env,
    PORT: appPort,
    HOST: process.env.HOST ?? 'localhost',
    PORTAL_ORIGINS: [process.env.PORTAL_ORIGINS, simOrigin].filter(Boolean).join(' '),
    // Statistics on, in the embedded database under the repository's (ignored) data/ folder.
    STATS: process.env.STATS ?? 'on',
    DATA_DIR: process.env.DATA_DIR ?? resolve(import.meta.dirname, '../data'),
    // Server-side webhooks may call the simulator's sink on this machine.
    WEBHOOKS_ALLOW_PRIVATE: process.env.WEBHOOKS_ALLOW_PRIVATE ?? '1',
    // The app's own credentials, as the simulated portal issued them, with the simulator as the OAuth server.
    B24_CLIENT_ID: SIM_CREDENTIALS.clientId,
    B24_CLIENT_SECRET: SIM_CREDENTIALS.clientSecret,
    B24_OAUTH_URL: simOrigin,
  });
  const app = await startServer(config);
  const appUrl = `http://localhost:${app.port}/`;
  const sim = await startSimulator({
    port: simPort,
    host: '127.0.0.1',
    appUrl,
    statistics: config.stats,
    credentials: SIM_CREDENTIALS,
  });
  console.info('');
  console.info(`  b24-hold-relay app server  ${appUrl}  (the worker; /app/ and /monitor/ beside it)`);
  console.info(`  local portal simulator     ${sim.url}/`);
  if (config.stats)
    console.info(
      `  hold statistics            ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir}  (${appUrl}api/report, as an admin)`,
    );
  console.info('');
  console.info(`  Open ${sim.url}/ , click "Incoming call", "Answer", then "Hold": the card shows the running hold,`);
  console.info('  the monitor and the webhook sink show the events, and the message log shows every frame message.');
  console.info('  Stop with Ctrl+C.');
  const stop = () => {
    void Promise.all([sim.close(), app.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`npm start failed: ${message}`);
  if (/EADDRINUSE/.test(message))
    console.error('A port is taken: set PORT (app, default 8080) or SIM_PORT (simulator, default 8090).');
  process.exit(1);
});
