// Worker frames as the portal opens them: a hidden iframe named "<host>|<https?1:0>|<APP_SID>",
// loaded by a POSTed form carrying the portal's fields, one per page and one per open slider.

export interface AuthGrant {
  AUTH_ID: string;
  AUTH_EXPIRES: number;
  REFRESH_ID: string;
}

export interface WorkerFrame {
  appSid: string;
  label: string;
  iframe: HTMLIFrameElement;
  auth: AuthGrant;
  /** Callback keys the frame bound, per event name, in binding order. */
  bindings: Map<string, string[]>;
}

export interface FrameSettings {
  appUrl: string;
  lang: string;
  memberId: string;
}

function newAppSid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Opens a worker frame inside `container` the way the portal does. */
export function openWorkerFrame(container: HTMLElement, label: string, auth: AuthGrant, settings: FrameSettings): WorkerFrame {
  const appSid = newAppSid();
  const https = location.protocol === 'https:' ? '1' : '0';
  const iframe = document.createElement('iframe');
  iframe.name = `${location.host}|${https}|${appSid}`;
  iframe.className = 'worker-frame';
  iframe.title = `${label} worker frame (PAGE_BACKGROUND_WORKER)`;
  iframe.dataset.testid = `worker-frame-${label}`;
  container.append(iframe);

  const form = document.createElement('form');
  form.method = 'POST';
  form.action = settings.appUrl;
  form.target = iframe.name;
  form.hidden = true;
  const fields: Record<string, string> = {
    DOMAIN: location.host,
    PROTOCOL: https,
    LANG: settings.lang,
    APP_SID: appSid,
    AUTH_ID: auth.AUTH_ID,
    AUTH_EXPIRES: String(auth.AUTH_EXPIRES),
    REFRESH_ID: auth.REFRESH_ID,
    member_id: settings.memberId,
    status: 'L',
    PLACEMENT: 'PAGE_BACKGROUND_WORKER',
    PLACEMENT_OPTIONS: JSON.stringify({ ID: 'PAGE_BACKGROUND_WORKER', URI: location.pathname }),
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
  return { appSid, label, iframe, auth, bindings: new Map() };
}
