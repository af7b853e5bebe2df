// The operators' names for the holds export, asked of the portal with the token of the user who
// asks for the export (the same way the app page asks: user.get by ID, 50 a call, in one batch),
// at the portal's allowed origin only. Every call is noted in the REST log.
import { fetchPeople } from '../../app/report/operators.ts';
import type { Identity } from '../auth/verify-token.ts';
import { createAppRest } from '../credentials/app-rest.ts';
import { recordRestCall } from '../credentials/rest-log.ts';
import type { Queryable } from '../db/index.ts';

export interface OperatorNames {
  /** Names by user id; a user the portal does not know is left out. */
  names: Map<number, string>;
  /** Why some names could not be asked for; null when the portal answered every call. */
  error: string | null;
}

export async function operatorNames(
  db: Queryable,
  identity: Identity,
  userIds: readonly number[],
  fetcher?: typeof fetch,
): Promise<OperatorNames> {
  if (userIds.length === 0) return { names: new Map(), error: null };
  const rest = createAppRest({
    origin: identity.origin,
    token: identity.token,
    ...(fetcher ? { fetch: fetcher } : {}),
    record: (call) => recordRestCall(db, identity.portal, call),
  });
  const { people, error } = await fetchPeople(
    rest,
    [...new Set(userIds)].sort((a, b) => a - b),
  );
  return { names: new Map(people.map((person) => [person.id, person.name])), error };
}
