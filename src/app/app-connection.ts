import { AppFrame, SliderManager } from '@bitrix24/b24jssdk';
import { connectFrame, type ConnectedPortal } from '../portal/frame-connection.ts';
import type { FrameName } from '../portal/frame-name.ts';
import { isRecord } from '../lib/is-record.ts';
import type { OutputPortal } from '../portal/types.ts';

/** The app page's side of the portal: the frame connection, plus the installer and the user picker. */
export interface AppPortal extends ConnectedPortal {
  /** Tells the portal the installer is done; the portal then reloads the app. Never answered. */
  installFinish(): void;
  /** Asks the portal for its user picker; resolves with the chosen user ids ([] when unanswered). */
  selectUsers(): Promise<number[]>;
  /** Opens a portal page (e.g. a CRM card, `/crm/contact/details/7/`) in the portal's slider. */
  openPath(path: string): void;
  /** The port outputs are built on, for checking and test-sending a configuration from this page. */
  outputPortal(): OutputPortal;
  dispose(): void;
}

const PICKER_TIMEOUT_MS = 120_000;

export async function connectAppPortal(frame: FrameName): Promise<AppPortal> {
  const connection = connectFrame(frame);
  const link = await connection.ready;
  const slider = new SliderManager(
    new AppFrame({ DOMAIN: frame.domain, PROTOCOL: frame.https, APP_SID: frame.appSid, LANG: null }),
    connection.messages,
  );
  return {
    ...link,
    installFinish: () => void connection.send('setInstallFinish', {}).catch(() => undefined),
    async selectUsers() {
      const picked = await connection.send('selectUser', { mult: true }, PICKER_TIMEOUT_MS).catch(() => []);
      const list = Array.isArray(picked) ? picked : [picked];
      return list
        .map((user) => Number(isRecord(user) ? user.id : NaN))
        .filter((id) => Number.isSafeInteger(id) && id > 0);
    },
    // Answered only when the slider closes: nothing waits for it.
    openPath: (path) => void slider.openPath(slider.getUrl(path)).catch(() => undefined),
    // No call card belongs to this page: outputs that command one learn so at once.
    outputPortal: () => ({ ...link, command: async () => ({ ok: false, error: 'Call card is undefined' }) }),
    dispose: connection.dispose,
  };
}
