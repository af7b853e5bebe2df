import { createLogger } from '../log/logger.ts';
import { startWorker } from './main.ts';

// The worker never throws into the portal page: every failure ends here as one logged error.
const log = createLogger();
startWorker(log).catch((error: unknown) => log.error('the worker could not start', error));
