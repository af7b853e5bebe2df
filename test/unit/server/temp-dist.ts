// A throwaway built site for server tests: the worker page, one hashed asset and the app page.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WORKER_HTML =
  '<!doctype html><title>worker</title><script type="module" src="/assets/x-abc123.js"></script>';
export const APP_HTML = '<!doctype html><title>app page</title>';

export function makeDist(withApp = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), WORKER_HTML);
  writeFileSync(join(dir, 'assets', 'x-abc123.js'), 'console.info("worker");\n');
  if (withApp) {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'index.html'), APP_HTML);
  }
  return dir;
}

/** Whether 127.0.0.1:`port` is taken (something still listens on it). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}
