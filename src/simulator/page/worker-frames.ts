// App frames as the portal opens them: an iframe named "<host>|<https?1:0>|<APP_SID>", loaded by a
// POSTed form carrying the portal's fields. Worker frames are hidden, one per page and one per open
// slider; the app page (PLACEMENT=DEFAULT) is the visible frame of the app's slider.

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
  /** A PAGE_BACKGROUND_WORKER frame, or the app page (the app's own slider, PLACEMENT=DEFAULT). */
  kind?: 'worker' | 'app';
}

export interface FrameSpec {
  url: string;
  placement: string;
  placementOptions: Record<string, unknown>;
  className: string;
  title: string;
  kind: 'worker' | 'app';
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
export function openWorkerFrame(
  container: HTMLElement,
  label: string,
  auth: AuthGrant,
  settings: FrameSettings,
): WorkerFrame {
  return openAppFrame(container, label, auth, settings, {
    url: settings.appUrl,
    placement: 'PAGE_BACKGROUND_WORKER',
    placementOptions: { ID: 'PAGE_BACKGROUND_WORKER', URI: location.pathname },
    className: 'worker-frame',
    title: `${label} worker frame (PAGE_BACKGROUND_WORKER)`,
    kind: 'worker',
  });
}

/** Opens any app frame the way the portal does: named frame, then a POSTed form targeting it. */
export function openAppFrame(
  container: HTMLElement,
  label: string,
  auth: AuthGrant,
  settings: FrameSettings,
  spec: FrameSpec,
): WorkerFrame {
  const appSid = newAppSid();
  const https = location.protocol === 'https:' ? '1' : '0';
  const iframe = document.createElement('iframe');
  iframe.name = `${location.host}|${https}|${appSid}`;
  iframe.className = spec.className;
  iframe.title = spec.title;
  iframe.dataset.testid = `${spec.kind}-frame-${label}`;
  container.append(iframe);

  const form = document.createElement('form');
  form.method = 'POST';
  form.action = spec.url;
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
    PLACEMENT: spec.placement,
    PLACEMENT_OPTIONS: JSON.stringify(spec.placementOptions),
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
  return { appSid, label, iframe, auth, bindings: new Map(), kind: spec.kind };
}
