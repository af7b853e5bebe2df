// What the alerts do in a portal, with the app's own token: send a system notification to users,
// and read users' names. Every call is noted in the REST log.
import { createDirectory } from '../../app/report/operators.ts';
import { appRestFor, type PortalAccess } from '../credentials/app-rest-for.ts';

export interface NotifyOutcome {
  /** Those the portal took the message for. */
  sentTo: number[];
  /** Why the others did not get it; null when everyone did. */
  error: string | null;
}

export interface PortalActions {
  notify(portal: string, userIds: readonly number[], message: string): Promise<NotifyOutcome>;
  /** Names the portal knows for the users (`Anna Smith`); unknown users are left out. */
  names(portal: string, userIds: readonly number[]): Promise<Map<number, string>>;
}

export function createPortalActions(deps: PortalAccess): PortalActions {
  return {
    async notify(portal, userIds, message) {
      const got = await appRestFor(deps, portal);
      if (!got.ok) return { sentTo: [], error: got.error };
      const sentTo: number[] = [];
      let error: string | null = null;
      for (const userId of userIds) {
        const answer = await got.rest('im.notify.system.add', { USER_ID: userId, MESSAGE: message });
        if (answer.ok) sentTo.push(userId);
        else
          error = `im.notify.system.add to user ${userId}: ${answer.error}${answer.description ? ` (${answer.description})` : ''}`;
      }
      return { sentTo, error };
    },
    async names(portal, userIds) {
      const got = await appRestFor(deps, portal);
      if (!got.ok || userIds.length === 0) return new Map();
      const people = await createDirectory(got.rest).load(userIds);
      return new Map([...people].map(([id, person]) => [id, person.name]));
    },
  };
}
