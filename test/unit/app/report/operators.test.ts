import { describe, expect, it } from 'vitest';
import { createDirectory, fetchPeople, userGetCommand } from '../../../../src/app/report/operators.ts';
import { hasServerOutput, withServerOutput } from '../../../../src/app/report/server-output.ts';
import { RestPortal, USERS } from '../../../../src/simulator/rest-portal.ts';
import { parseQuery } from '../../../../src/simulator/rest-users.ts';
import type { RestAnswer } from '../../../../src/portal/types.ts';

/** The simulated portal's REST, called in process, recording each method. */
function portalRest({ revoked = false } = {}) {
  const portal = new RestPortal();
  portal.photoBase = 'http://portal.test';
  const token = portal.grant(USERS[0] ?? { id: 1, name: 'A', isAdmin: true }).AUTH_ID;
  if (revoked) portal.revoke(token);
  const methods: string[] = [];
  const rest = async (method: string, params: Record<string, unknown> = {}): Promise<RestAnswer> => {
    methods.push(method);
    const answer = (
      portal as unknown as {
        call(m: string, p: Record<string, unknown>, a: string): { status: number; body: Record<string, unknown> };
      }
    ).call(method, params, token);
    return 'result' in answer.body
      ? { ok: true, result: answer.body.result }
      : { ok: false, error: String(answer.body.error), description: '', status: answer.status };
  };
  return { rest, methods };
}

describe('operators from the portal', () => {
  it('asks user.get once for up to 50 users, and remembers them', async () => {
    const { rest, methods } = portalRest();
    const directory = createDirectory(rest);
    const people = await directory.load([7, 8, 999]);
    expect([...people.values()].map((p) => [p.id, p.name])).toEqual([
      [7, 'Anna Operator'],
      [8, 'Boris Petrov'],
    ]);
    expect(people.get(8)?.photo).toBe('http://portal.test/sim/avatar/8.svg');
    expect(people.get(9)).toBeUndefined();
    await directory.load([7, 8]);
    expect(methods).toEqual(['user.get']);
  });

  it('asks for more than 50 users in one batch of user.get commands', async () => {
    const { rest, methods } = portalRest();
    const ids = USERS.map((user) => user.id);
    expect(ids.length).toBeGreaterThan(50);
    const people = await createDirectory(rest).load(ids);
    expect(people.size).toBe(ids.length);
    expect(methods).toEqual(['batch']);
    expect(parseQuery(userGetCommand([7, 8]).split('?')[1] ?? '')).toEqual({ filter: { '@ID': ['7', '8'] } });
  });
});

describe('fetchPeople', () => {
  it('says which call the portal refused, and gives who it could name', async () => {
    const few = await fetchPeople(portalRest({ revoked: true }).rest, [7, 8]);
    expect(few).toEqual({ people: [], error: 'user.get: invalid_token' });
    const many = await fetchPeople(
      portalRest({ revoked: true }).rest,
      USERS.map((user) => user.id),
    );
    expect(many).toEqual({ people: [], error: 'batch: invalid_token' });
    const fine = await fetchPeople(portalRest().rest, [7, 999]);
    expect(fine).toEqual({ people: [expect.objectContaining({ id: 7, name: 'Anna Operator' })], error: null });
  });
});

describe('the server output in the configuration', () => {
  it('is found only when present and enabled', () => {
    expect(hasServerOutput(JSON.stringify({ outputs: [{ type: 'log' }, { type: 'server' }] }))).toBe(true);
    expect(hasServerOutput({ outputs: [{ type: 'server', enabled: false }] })).toBe(false);
    expect(hasServerOutput(undefined)).toBe(false);
  });

  it('is added with everything else kept, switched on when it was off, and never to an option that is not JSON', () => {
    expect(JSON.parse(withServerOutput(JSON.stringify({ outputs: [{ type: 'callCard' }], note: 1 })) ?? '')).toEqual({
      note: 1,
      outputs: [{ type: 'callCard' }, { type: 'server' }],
    });
    expect(JSON.parse(withServerOutput(undefined) ?? '')).toEqual({ outputs: [{ type: 'log' }, { type: 'server' }] });
    expect(JSON.parse(withServerOutput({ outputs: [{ type: 'server', enabled: false }] }) ?? '')).toEqual({
      outputs: [{ type: 'server', enabled: true }],
    });
    expect(withServerOutput('{oops')).toBeNull();
  });
});
