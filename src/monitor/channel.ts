/** The BroadcastChannel the monitor page listens on; the broadcast output's default (a test keeps them equal). */
export const MONITOR_CHANNEL = 'b24-hold-relay';
