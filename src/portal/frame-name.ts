/** What the portal writes into the worker frame's `window.name`: "<host[:port]>|<1 https, 0 http>|<APP_SID>". */
export interface FrameName {
  domain: string;
  https: boolean;
  appSid: string;
}

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const APP_SID = /^[A-Za-z0-9_-]{1,128}$/;

/** Parses the frame name, or returns null when this page was not opened by a Bitrix24 portal. */
export function parseFrameName(name: string): FrameName | null {
  const parts = name.split('|');
  if (parts.length !== 3) return null;
  const [domain = '', protocol, appSid = ''] = parts;
  if (!HOST.test(domain) || !APP_SID.test(appSid) || (protocol !== '0' && protocol !== '1')) return null;
  return { domain, https: protocol === '1', appSid };
}

/** The portal's origin as the SDK's AppFrame makes it (a default port dropped): messages go to it and only its are read. */
export function frameOrigin(frame: FrameName): string {
  return `${frame.https ? 'https' : 'http'}://${frame.domain.replace(/:(80|443)$/, '')}`;
}
