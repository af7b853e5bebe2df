import { parseServerConfig } from '../../src/server/config.ts';

/** The message parseServerConfig throws for `env`: every bad variable, named. */
export function configProblems(env: Record<string, string>): string {
  try {
    parseServerConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parseServerConfig to throw');
}
