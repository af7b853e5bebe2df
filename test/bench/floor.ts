// The floor for time to subscribed: a worker page with no SDK and no module script, only an inline
// classic script that posts its one placementBindEvent the moment it runs, as the portal's protocol
// needs it (APP_SID from window.name, the portal's origin as target). Served by the least a server can
// do (one fixed answer, no compression), framed by its own portal simulator as ours and the bare SDK
// worker are.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../src/simulator/server.ts';
import { HOLD_EVENT } from '../support/portal-page.ts';
import type { Stack } from '../support/stack.ts';

/** `method:params:callbackKey:APP_SID` to the origin the frame's name gives: "<host>|<1 https, 0 http>|<APP_SID>". */
export const FLOOR_SCRIPT = `var n=window.name.split("|");parent.postMessage("placementBindEvent:"+JSON.stringify({event:${JSON.stringify(HOLD_EVENT)}})+":floor:"+n[2],(n[1]==="1"?"https://":"http://")+n[0]);`;

export const FLOOR_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><script>${FLOOR_SCRIPT}</script><title>floor</title></head><body></body></html>`;

/** The production server's policy, but with the inline script allowed by its hash. */
const CSP = `default-src 'none'; script-src 'sha256-${createHash('sha256').update(FLOOR_SCRIPT).digest('base64')}'; frame-ancestors http://127.0.0.1:*`;

export async function startFloorStack(): Promise<Stack> {
  const page = Buffer.from(FLOOR_PAGE);
  const server = createServer((req, res) => {
    req.resume();
    // The simulator shows the app origin's /healthz as its monitor: a page with no script.
    const body = req.url === '/healthz' ? Buffer.from('ok') : page;
    res.writeHead(200, {
      'content-type': req.url === '/healthz' ? 'text/plain' : 'text/html; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-cache',
      'content-security-policy': CSP,
    });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const appUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
  const simulator = await startSimulator({ port: 0, host: '127.0.0.1', appUrl, monitorUrl: '/healthz', option: null });
  let stopped: Promise<void> | null = null;
  const stopServer = (): Promise<void> =>
    (stopped ??= new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }));
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
