// The portal's side of the alerts for storage tests: records every notification it is asked to
// send, and can refuse some users, as a portal refuses an unknown USER_ID.
import type { PortalActions } from '../../src/server/alerts/portal-actions.ts';

export interface Sent {
  portal: string;
  userId: number;
  message: string;
}

export function recordingActions(
  names: Record<number, string> = {},
): PortalActions & { sent: Sent[]; refuse: Set<number> } {
  const sent: Sent[] = [];
  const refuse = new Set<number>();
  return {
    sent,
    refuse,
    async notify(portal, userIds, message) {
      const ok = userIds.filter((id) => !refuse.has(id));
      for (const userId of ok) sent.push({ portal, userId, message });
      const refused = userIds.filter((id) => refuse.has(id));
      return {
        sentTo: ok,
        error: refused.length > 0 ? `im.notify.system.add to user ${refused[0]}: USER_ID_EMPTY` : null,
      };
    },
    async names(_portal, userIds) {
      return new Map(userIds.flatMap((id) => (names[id] ? [[id, names[id]] as const] : [])));
    },
  };
}
