// @vitest-environment node
// `npm run serve` as an operator or a service manager runs it: its own process tree, stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDist, portTaken } from './temp-dist.ts';

const root = resolve(import.meta.dirname, '../../..');
let child: ChildProcess | null = null;
let dist = '';

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) done(proc.exitCode);
    else proc.once('exit', (code) => done(code));
  });
}

/** Runs `npm run serve` in a process group of its own, so a test can clean up whatever it leaves. */
function serve(env: Record<string, string>): { proc: ChildProcess; output: () => string } {
  let output = '';
  const proc = spawn('npm', ['run', '--silent', 'serve'], {
    cwd: root,
    detached: true,
    env: { ...process.env, HOST: '127.0.0.1', LOG_FORMAT: 'none', STATS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  child = proc;
  return { proc, output: () => output };
}

afterEach(() => {
  if (child?.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the whole group is gone already
    }
  }
  child = null;
  if (dist) rmSync(dist, { recursive: true, force: true });
});

describe('npm run serve', () => {
  it('stops the server when npm itself gets SIGTERM (a service manager stopping it), freeing the port', async () => {
    dist = makeDist();
    // Port 0: the server binds a free port itself and says which, so no other process can take it in between.
    const { proc, output } = serve({ PORT: '0', DIST_DIR: dist });
    const port = await vi.waitFor(
      () => {
        const said = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output());
        if (!said) throw new Error(`the server has not said where it listens yet: ${output()}`);
        return Number(said[1]);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    proc.kill('SIGTERM');
    expect(await exitOf(proc)).toBe(0);
    await expect.poll(() => portTaken(port), { timeout: 5000 }).toBe(false);
    expect(output()).toContain('SIGTERM: finishing requests in flight');
  }, 30_000);

  it('exits with code 2 and says what to do when DIST_DIR has no built site', async () => {
    dist = makeDist();
    rmSync(dist, { recursive: true, force: true });
    const { proc, output } = serve({ PORT: '0', DIST_DIR: dist });
    expect(await exitOf(proc)).toBe(2);
    expect(output()).toMatch(/DIST_DIR=.*index\.html does not exist.*npm run build/s);
  }, 20_000);
});
