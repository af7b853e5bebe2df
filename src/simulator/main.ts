// `tsx src/simulator/main.ts`: the local portal simulator on its own, pointed at a running app server.
import { startSimulator } from './server.ts';

const port = Number.parseInt(process.env.SIM_PORT ?? '8090', 10);
const host = process.env.SIM_HOST ?? '127.0.0.1';
const appUrl = process.env.APP_URL ?? 'http://localhost:8080/';
/** The app server's B24_CLIENT_ID, when it has one: the simulated portal's tokens are then that app's. */
const appCode = process.env.B24_CLIENT_ID?.trim();

startSimulator({ port, host, appUrl, ...(appCode ? { appCode } : {}) })
  .then((sim) => {
    console.info(`portal simulator: ${sim.url}/ (frames the worker at ${appUrl})`);
    const stop = () => void sim.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })
  .catch((error: unknown) => {
    console.error(`the portal simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
