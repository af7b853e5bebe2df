// The portal's app events, as it POSTs them (form-encoded) to /api/portal/events: ONAPPINSTALL
// right after an install, with the app's first tokens, and ONAPPUNINSTALL, with no usable token.
// Parsing only: whether an event is believed is the route's business (see credentials-route.ts).
import * as v from 'valibot';
import { parsePortalDomain } from '../auth/portal-origin.ts';

export type PortalEvent =
  | {
      kind: 'install';
      domain: string;
      memberId: string;
      applicationToken: string;
      accessToken: string;
      refreshToken: string;
      expiresInS: number;
      userId: number | null;
      language: string | null;
    }
  | { kind: 'uninstall'; domain: string; memberId: string; applicationToken: string; clean: boolean };

export type PortalEventParse = { ok: true; event: PortalEvent } | { ok: false; reason: string };

const token = v.pipe(v.string(), v.regex(/^[\w.-]{8,512}$/, 'is not a token'));
const memberId = v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, 'is not a member id'));
const AuthSchema = v.object({
  domain: v.string(),
  member_id: memberId,
  application_token: token,
});
const InstallAuthSchema = v.object({
  ...AuthSchema.entries,
  access_token: token,
  refresh_token: token,
  expires_in: v.optional(v.pipe(v.string(), v.regex(/^\d{1,7}$/, 'is not a number of seconds')), '3600'),
  user_id: v.optional(v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'is not a user id'))),
});

/** `auth[domain]=x` -> `{auth: {domain: 'x'}}`: one level of brackets, as the portal sends. */
function nest(form: URLSearchParams): Record<string, unknown> {
  const out: Record<string, Record<string, string> | string> = {};
  for (const [name, value] of form) {
    const match = /^(\w+)\[(\w+)\]$/.exec(name);
    if (match) {
      const [, outer = '', inner = ''] = match;
      const group = out[outer];
      const nested = typeof group === 'object' ? group : (out[outer] = {});
      nested[inner] = value;
    } else out[name] = value;
  }
  return out;
}

const issueOf = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const issue = issues[0];
  const path = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
  return `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`;
};

export function parsePortalEvent(body: string): PortalEventParse {
  const fields = nest(new URLSearchParams(body));
  const event = typeof fields.event === 'string' ? fields.event.toUpperCase() : '';
  if (event !== 'ONAPPINSTALL' && event !== 'ONAPPUNINSTALL')
    return { ok: false, reason: 'event: not ONAPPINSTALL or ONAPPUNINSTALL' };
  if (typeof fields.auth !== 'object' || fields.auth === null)
    return { ok: false, reason: 'auth: missing (auth[domain], auth[member_id], auth[application_token], …)' };
  const schema = event === 'ONAPPINSTALL' ? InstallAuthSchema : AuthSchema;
  const auth = v.safeParse(schema, fields.auth);
  if (!auth.success) return { ok: false, reason: `auth.${issueOf(auth.issues)}` };
  const domain = parsePortalDomain(auth.output.domain);
  if (!domain) return { ok: false, reason: 'auth.domain: is not a portal domain' };
  const data = typeof fields.data === 'object' && fields.data !== null ? (fields.data as Record<string, string>) : {};
  const base = { domain, memberId: auth.output.member_id, applicationToken: auth.output.application_token };
  if (event === 'ONAPPUNINSTALL') return { ok: true, event: { kind: 'uninstall', ...base, clean: data.CLEAN === '1' } };
  const install = auth.output as v.InferOutput<typeof InstallAuthSchema>;
  return {
    ok: true,
    event: {
      kind: 'install',
      ...base,
      accessToken: install.access_token,
      refreshToken: install.refresh_token,
      expiresInS: Number(install.expires_in),
      userId: install.user_id === undefined ? null : Number(install.user_id),
      language: typeof data.LANGUAGE_ID === 'string' && /^[a-z]{2}$/.test(data.LANGUAGE_ID) ? data.LANGUAGE_ID : null,
    },
  };
}
