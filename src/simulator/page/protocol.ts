// The portal's side of the frame protocol, as PORTAL-FACTS.md describes it: how an app frame's
// message is split, and how an answer or an event goes back.
import { parseJsonObject } from '../../lib/json-object.ts';

export interface AppMessage {
  method: string;
  params: Record<string, unknown>;
  callback: string;
  appSid: string;
}

/**
 * Splits `method:JSON(params):callbackKey:APP_SID` (params omitted when empty, and possibly holding
 * `:` itself) or takes the object form `{method, params, callback, appSid}`. Returns why it is not
 * a message the portal would act on.
 */
export function parseAppMessage(data: unknown): AppMessage | string {
  if (typeof data === 'string') {
    const parts = data.split(':');
    if (parts.length < 3) return 'fewer than three ":"-separated pieces';
    const method = parts[0] ?? '';
    const appSid = parts[parts.length - 1] ?? '';
    const callback = parts[parts.length - 2] ?? '';
    const paramsText = parts.slice(1, -2).join(':');
    const params = paramsText === '' ? {} : parseJsonObject(paramsText);
    if (params === null) return 'params are not a JSON object';
    return check({ method, params, callback, appSid });
  }
  if (data !== null && typeof data === 'object') {
    const { method, params, callback, appSid } = data as Record<string, unknown>;
    if (typeof method !== 'string' || typeof callback !== 'string' || typeof appSid !== 'string')
      return 'object form without method, callback and appSid strings';
    const parsed =
      params === undefined || params === '' ? {} : typeof params === 'string' ? parseJsonObject(params) : params;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'params are not a JSON object';
    return check({ method, params: parsed as Record<string, unknown>, callback, appSid });
  }
  return `a ${typeof data}, not a string or an object`;
}

function check(message: AppMessage): AppMessage | string {
  if (message.method === '') return 'no method';
  if (message.appSid === '') return 'no APP_SID';
  return message;
}

/** `<callbackKey>:<JSON(result)>`, nothing after the colon when the result is undefined. */
export function formatAnswer(callback: string, result: unknown): string {
  return `${callback}:${result === undefined ? '' : JSON.stringify(result)}`;
}
