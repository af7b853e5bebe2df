import { describe, expect, it } from 'vitest';
import { USERS } from '../../../src/simulator/rest-portal.ts';
import { batchCommands, usersById } from '../../../src/simulator/rest-users.ts';

const ids = (answer: { body: Record<string, unknown> }): string[] =>
  (answer.body.result as { ID: string }[]).map((user) => user.ID);
const get = (params: Record<string, unknown>) => usersById(USERS, params, () => '');

describe("the simulated portal's user.get", () => {
  it("filters by ID with the portal's prefixes, in filter or FILTER, and leaves unknown IDs out", () => {
    expect(ids(get({ filter: { '@ID': [8, 7, 999] } }))).toEqual(['7', '8']);
    expect(ids(get({ FILTER: { ID: '7' } }))).toEqual(['7']);
    expect(ids(get({ filter: { '>=ID': 50 } })).length).toBe(USERS.filter((user) => user.id >= 50).length);
    expect(ids(get({ filter: { '!@ID': USERS.slice(1).map((user) => user.id) } }))).toEqual([String(USERS[0]?.id)]);
  });

  it('answers 50 users a page, with the total and the start of the next page while there are more', () => {
    expect(USERS.length).toBeGreaterThan(50);
    const first = get({});
    expect(ids(first)).toHaveLength(50);
    expect(first.body).toMatchObject({ total: USERS.length, next: 50 });
    const second = get({ start: 50 });
    expect(ids(second)).toHaveLength(USERS.length - 50);
    expect(second.body).not.toHaveProperty('next');
    expect((first.body.result as Record<string, unknown>[])[0]).toEqual({
      ID: '1',
      ACTIVE: true,
      NAME: 'Alex',
      LAST_NAME: 'Admin',
      PERSONAL_PHOTO: '',
      USER_TYPE: 'employee',
    });
  });

  it('runs a batch of user.get commands, writing the empty maps as PHP does (lists)', () => {
    const answer = batchCommands(
      { halt: 0, cmd: { a: 'user.get?filter%5B%40ID%5D%5B0%5D=7', b: 'user.get?filter%5B%40ID%5D%5B0%5D=8' } },
      (method, params) => get(params),
    );
    const batch = answer.body.result as Record<string, unknown>;
    expect(Object.keys(batch.result as object)).toEqual(['a', 'b']);
    expect(batch).toMatchObject({ result_error: [], result_next: [], result_total: { a: 1, b: 1 } });
  });
});
