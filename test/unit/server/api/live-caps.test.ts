// @vitest-environment node
// Live streams are capped per user (5) and per portal (50) as well as in total, so one admin
// opening tab after tab cannot lock anyone else out; a closed stream gives its slot back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../../../src/simulator/rest-portal.ts';
import { freePort } from '../../../support/stack.ts';
import { startStatsStack, type StatsStack } from '../../../support/stats-stack.ts';
import { readSse, type SseReader } from './sse-reader.ts';

let stack: StatsStack;
/** The same simulated portal under a second name: to the server, another portal. */
let otherPortal: string;
const open: SseReader[] = [];

beforeAll(async () => {
  const port = await freePort();
  otherPortal = `localhost:${port}`;
  stack = await startStatsStack(
    { PORTAL_ORIGINS: `http://127.0.0.1:${port} http://${otherPortal}` },
    { simPort: port },
  );
  // Each test opens streams as admins of its own: slots of the one before may still be on their way back.
  for (const id of [8, 9, 10]) stack.simulator.rest.setAdmin(id, true);
}, 120_000);
afterAll(() => stack?.close());
afterEach(async () => {
  await Promise.all(open.splice(0).map((sse) => sse.close()));
});

/** Opens a live stream; a 200 is kept open (and closed after the test) once its first message came. */
async function openStream(
  token: string,
  domain = stack.domain,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const res = await fetch(new URL('/api/report/live', stack.appUrl), {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'x-portal-domain': domain },
  });
  const answer = { status: res.status, retryAfter: res.headers.get('retry-after') };
  if (res.status !== 200) return { ...answer, body: await res.json() };
  const sse = readSse(res);
  open.push(sse);
  await expect.poll(() => sse.messages.length).toBe(1);
  return { ...answer, body: null };
}

describe('live stream caps', () => {
  it("refuses a user's 6th stream with 429 and Retry-After while other users still get theirs", async () => {
    const admin = stack.tokenFor(ADMIN.id);
    for (let i = 0; i < 5; i++) expect((await openStream(admin)).status).toBe(200);
    const sixth = await openStream(admin);
    expect(sixth.status).toBe(429);
    expect(sixth.retryAfter).toBe('30');
    expect(sixth.body).toEqual({
      error: 'you have 5 live streams open already: close another tab with the live view, or retry later',
    });
    expect((await openStream(stack.tokenFor(8))).status).toBe(200);
    // A plain JSON answer takes no slot.
    expect((await stack.api('/api/report/live', { token: admin })).status).toBe(200);
  });

  it("gives a stream's slot back when it closes", async () => {
    const admin = stack.tokenFor(9);
    for (let i = 0; i < 5; i++) expect((await openStream(admin)).status).toBe(200);
    expect((await openStream(admin)).status).toBe(429);
    await open.shift()?.close();
    await expect.poll(async () => (await openStream(admin)).status).toBe(200);
    expect((await openStream(admin)).status).toBe(429);
  });

  it('keeps one admin opening stream after stream from locking another portal out', async () => {
    const admin = stack.tokenFor(10);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await openStream(admin)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect((await openStream(admin, otherPortal)).status).toBe(200);
  });
});
