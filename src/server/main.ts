// `npm run serve`: the production server alone. Exit codes: 2 bad environment, 1 could not start.
import { distProblem, startServer } from './http/server.ts';
import { parseServerConfig, type ServerConfig } from './config.ts';

let config: ServerConfig;
try {
  config = parseServerConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const missingSite = distProblem(config.distDir);
if (missingSite) {
  console.error(`Invalid server environment: ${missingSite}`);
  process.exit(2);
}

try {
  const running = await startServer(config);
  console.info(`b24-hold-relay server listening on ${running.url} (files: ${config.distDir})`);
  console.info(`  frames allowed from: 'self' ${config.portalOrigins.join(' ')}`);
  if (running.healthPort !== null) console.info(`  /healthz also on port ${running.healthPort}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.info(`${signal}: finishing requests in flight, then exiting`);
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const healthPort = (error as { healthPort?: number }).healthPort;
  const hint =
    code === 'EADDRINUSE'
      ? healthPort === undefined
        ? ` (port ${config.port} is taken; set PORT)`
        : ` (HEALTH_PORT ${healthPort} is taken)`
      : code === 'EADDRNOTAVAIL'
        ? ` (HOST ${config.host} is not an address of this machine)`
        : '';
  console.error(`Cannot start the server: ${error instanceof Error ? error.message : String(error)}${hint}`);
  process.exit(1);
}
