// @vitest-environment node
// The simulated portal answers app.info as a portal does: the app the token was issued to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, SIM_APP_CODE } from '../../../src/simulator/rest-portal.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/server.ts';
import { freePort } from '../../support/stack.ts';

const CODE = 'local.0123456789abcd.42424242';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: await freePort(), appUrl: 'http://localhost:1/', appCode: CODE });
});
afterAll(() => sim?.close());

const appInfo = async (auth: string) =>
  (
    await fetch(`${sim.origin}/rest/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth }),
    })
  ).json();

describe('app.info on the simulated portal', () => {
  it('names the app it was started as for the tokens it issues', async () => {
    expect(await appInfo(sim.rest.grant(OPERATOR).AUTH_ID)).toMatchObject({
      result: {
        ID: expect.any(String),
        CODE,
        VERSION: 1,
        STATUS: 'L',
        INSTALLED: true,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
      },
    });
    expect(SIM_APP_CODE).toMatch(/^local\.[0-9a-f]+\.\d+$/);
  });

  it('names another app for a token issued to that app', async () => {
    expect(await appInfo(sim.rest.grant(OPERATOR, 'app.other.one').AUTH_ID)).toMatchObject({
      result: { CODE: 'app.other.one' },
    });
  });

  it('refuses an unknown token as for any method', async () => {
    expect(await appInfo('not-a-token-0123')).toMatchObject({ error: 'invalid_token' });
  });
});
