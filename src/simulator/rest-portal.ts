// The simulator's REST endpoint (`/rest/<method>`): token checks, application options, placements
// and the handful of methods the app calls, answering `{result, time}` or `{error, error_description}`
// the way a portal does.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasPhoto, OPERATORS } from './directory.ts';
import { BodyTooLarge, corsHeaders, parseJsonObject, readBody, sendJson } from './http.ts';
import { batchCommands, usersById } from './rest-users.ts';

export interface SimUser {
  id: number;
  name: string;
  isAdmin: boolean;
}

export const OPERATOR: SimUser = { id: 7, name: 'Anna Operator', isAdmin: false };
export const ADMIN: SimUser = { id: 1, name: 'Alex Admin', isAdmin: true };
/** The portal's users: the admin and a few operators, so statistics have more than one person in them. */
export const USERS: readonly SimUser[] = [ADMIN, OPERATOR, ...OPERATORS];

export interface AuthGrant {
  AUTH_ID: string;
  AUTH_EXPIRES: number;
  REFRESH_ID: string;
}

export interface RestCall {
  at: number;
  method: string;
  params: Record<string, unknown>;
  userId: number | null;
  status: number;
  error: string | null;
}

export interface Placement {
  placement: string;
  handler: string;
  title: string;
  description: string;
  options: Record<string, unknown>;
  /** 0: every user. */
  userId: number;
  langAll: Record<string, unknown>;
}

export type Answer = { status: number; body: Record<string, unknown> };
/** `app`: the code of the app the call's token was issued to (what `app.info` answers). */
/** `oauth`: the call's token is the app's own (from the OAuth server), not a frame's session. */
type Method = (params: Record<string, unknown>, user: SimUser, app: string, oauth: boolean) => Answer;

/** The simulated app's client id, in the form a local app's has: `local.<hex>.<digits>`. */
export const SIM_APP_CODE = 'local.6571a0b2c3d4e5.10000001';
/** The Application ID and key `npm start` and the tests give both the simulated portal and the app server. */
export const SIM_CREDENTIALS = {
  clientId: SIM_APP_CODE,
  clientSecret: 'sim-application-key-5Jq8rT2vX9wZ4mB7',
} as const;

const TOKEN_SECONDS = 3600;
const MAX_CALLS_KEPT = 1000;
/**
 * PAGE_BACKGROUND_WORKER takes one handler per app, as the portal enforces; with USER_ID (which only
 * this placement supports) one per user, 0 standing for every user.
 */
const PLACEMENT_MAX: Record<string, number> = { PAGE_BACKGROUND_WORKER: 1 };
const USER_MODE = new Set(['PAGE_BACKGROUND_WORKER']);

const ok = (result: unknown): Answer => ({ status: 200, body: { result } });
const fail = (status: number, error: string, description: string): Answer => ({
  status,
  body: { error, error_description: description },
});

export class RestPortal {
  readonly appOptions: Record<string, string> = {};
  readonly calls: RestCall[] = [];
  readonly placements: Placement[] = [];
  /** The app's event handlers (`event.bind`), e.g. ONAPPINSTALL to the server's /api/portal/events. */
  readonly eventBindings: { event: string; handler: string }[] = [];
  private readonly tokens = new Map<string, { user: SimUser; expiresAt: number; app: string; oauth?: boolean }>();
  /** What the portal's bell received: im.notify.system.add, newest last. */
  readonly notifications: { at: number; userId: number; message: string }[] = [];
  /** Admin rights changed since start (a demoted admin, a promoted operator), by user id. */
  private readonly adminOverrides = new Map<number, boolean>();
  private readonly refreshTokens = new Map<string, SimUser>();
  private nextId = 1000;
  private readonly methods: Record<string, Method> = {
    'user.current': (_p, user) =>
      ok({
        ID: String(user.id),
        NAME: user.name.split(' ')[0],
        LAST_NAME: user.name.split(' ')[1] ?? '',
        ADMIN: user.isAdmin,
      }),
    'user.admin': (_p, user) => ok(user.isAdmin),
    // As a portal answers for a local app: CODE is the client id of the app the token was issued to.
    'app.info': (_p, _user, app) =>
      ok({
        ID: '7',
        CODE: app,
        VERSION: 1,
        STATUS: 'L',
        INSTALLED: true,
        PAYMENT_EXPIRED: 'N',
        DAYS: null,
        LICENSE: 'en_project',
      }),
    'user.get': (p) =>
      usersById(USERS, p, (id) => (hasPhoto(id) && this.photoBase ? `${this.photoBase}/sim/avatar/${id}.svg` : '')),
    batch: (p, user, app, oauth) =>
      batchCommands(p, (method, params) =>
        method.toLowerCase() === 'batch'
          ? fail(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage')
          : this.run(method, params, user, app, oauth),
      ),
    'app.option.get': (p) =>
      ok(typeof p.option === 'string' ? (this.appOptions[p.option] ?? null) : { ...this.appOptions }),
    'app.option.set': (p, user) => this.setOptions(p, user),
    'crm.timeline.comment.add': (p) => this.timelineComment(p),
    'im.notify.system.add': (p, _user, _app, oauth) => this.notifySystem(p, oauth),
    'im.notify.personal.add': (p) => this.notify(p),
    'im.notify': (p) => this.notify(p),
    'placement.bind': (p, user) => this.bind(p, user),
    'event.bind': (p, user) => this.bindEvent(p, user),
    'event.unbind': (p, user) => this.unbindEvent(p, user),
    'event.get': (_p, user) =>
      user.isAdmin
        ? ok(this.eventBindings.map((b) => ({ event: b.event, handler: b.handler, auth_type: 0, offline: 0 })))
        : fail(403, 'ACCESS_DENIED', 'Access denied!'),
    'placement.unbind': (p, user) => this.unbind(p, user),
    'placement.get': (_p, user) =>
      user.isAdmin
        ? ok(
            this.placements.map((p) => ({
              placement: p.placement,
              userId: p.userId,
              handler: p.handler,
              options: p.options,
              title: p.title,
              description: p.description,
              langAll: p.langAll,
            })),
          )
        : fail(403, 'ACCESS_DENIED', 'Access denied! Administrator rights are required.'),
  };
  /** The simulator's own origin, where users' photos are; set once it listens. */
  photoBase = '';
  /** The app's origin: placement handlers must live there (the portal checks the app's domain). */
  private readonly appOrigin: string | null;
  /** The client id of the app that `grant` issues tokens to, unless told another (`app.info`'s CODE). */
  appCode = SIM_APP_CODE;

  constructor(appOrigin: string | null = null) {
    this.appOrigin = appOrigin;
  }

  /**
   * Issues an access token for `user`, as the portal does for each frame it opens; `app` names
   * another app on the portal the token is issued to (default: this one, `appCode`).
   */
  grant(user: SimUser, app: string = this.appCode): AuthGrant {
    const grant = {
      AUTH_ID: randomBytes(16).toString('hex'),
      AUTH_EXPIRES: TOKEN_SECONDS,
      REFRESH_ID: randomBytes(16).toString('hex'),
    };
    this.tokens.set(grant.AUTH_ID, { user, expiresAt: Date.now() + TOKEN_SECONDS * 1000, app });
    this.refreshTokens.set(grant.REFRESH_ID, user);
    return grant;
  }

  /** Accepts `token` as the app's own access token (from the OAuth server), acting as `user`, for `seconds`. */
  acceptAppToken(token: string, user: SimUser, seconds: number): void {
    this.tokens.set(token, { user, expiresAt: Date.now() + seconds * 1000, app: this.appCode, oauth: true });
  }

  /** Forgets `token`, as a portal does when the app is uninstalled. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** Gives or takes a user's admin rights from now on, as an admin of the portal would. */
  setAdmin(userId: number, isAdmin: boolean): void {
    this.adminOverrides.set(userId, isAdmin);
  }

  /** Revokes one access token, as the portal does when the user logs out everywhere or the app is reinstalled. */
  revoke(authId: string): void {
    this.tokens.delete(authId);
  }

  /** Makes every issued access token expire now (to watch the app refresh it). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  async handle(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const cors = corsHeaders(req, 'content-type');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let params: Record<string, unknown>;
    try {
      const text = req.method === 'POST' ? await readBody(req) : '';
      params = text === '' ? {} : (parseJsonObject(text) ?? {});
    } catch (error) {
      sendJson(
        res,
        error instanceof BodyTooLarge ? 413 : 400,
        { error: 'INVALID_REQUEST', error_description: String(error) },
        cors,
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sim');
    const { auth = url.searchParams.get('auth'), ...rest } = params;
    const answer = this.call(method, rest, auth);
    this.calls.push({
      at: Date.now(),
      method,
      params: rest,
      userId: this.userOf(auth)?.id ?? null,
      status: answer.status,
      error: typeof answer.body.error === 'string' ? answer.body.error : null,
    });
    if (this.calls.length > MAX_CALLS_KEPT) this.calls.splice(0, this.calls.length - MAX_CALLS_KEPT);
    const now = Date.now() / 1000;
    const body =
      'result' in answer.body
        ? {
            ...answer.body,
            time: {
              start: now,
              finish: now,
              duration: 0,
              processing: 0,
              date_start: new Date().toISOString(),
              date_finish: new Date().toISOString(),
            },
          }
        : answer.body;
    sendJson(res, answer.status, body, cors);
  }

  private call(method: string, params: Record<string, unknown>, auth: unknown): Answer {
    if (typeof auth !== 'string' || auth === '') return fail(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
    const token = this.tokens.get(auth);
    if (!token) return fail(401, 'invalid_token', 'The access token provided is invalid.');
    if (token.expiresAt <= Date.now()) return fail(401, 'expired_token', 'The access token provided has expired.');
    const isAdmin = this.adminOverrides.get(token.user.id) ?? token.user.isAdmin;
    return this.run(
      method,
      params,
      isAdmin === token.user.isAdmin ? token.user : { ...token.user, isAdmin },
      token.app,
      token.oauth === true,
    );
  }

  private run(method: string, params: Record<string, unknown>, user: SimUser, app: string, oauth: boolean): Answer {
    const handler = this.methods[method.toLowerCase()];
    if (!handler) return fail(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    return handler(params, user, app, oauth);
  }

  /** A system notification needs the app's own OAuth context, as in the portal; a frame's session is refused. */
  private notifySystem(params: Record<string, unknown>, oauth: boolean): Answer {
    if (!oauth) return fail(403, 'ACCESS_DENIED', 'Application context required');
    const userId = Number(params.USER_ID);
    if (!USERS.some((u) => u.id === userId)) return fail(400, 'USER_ID_EMPTY', 'User not found');
    const message = typeof params.MESSAGE === 'string' ? params.MESSAGE : '';
    if (message.trim() === '') return fail(400, 'MESSAGE_EMPTY', "Message can't be empty");
    this.notifications.push({ at: Date.now(), userId, message: message.slice(0, 20_000) });
    if (this.notifications.length > MAX_CALLS_KEPT) this.notifications.shift();
    return ok(this.notifications.length);
  }

  private userOf(auth: unknown): SimUser | null {
    return typeof auth === 'string' ? (this.tokens.get(auth)?.user ?? null) : null;
  }

  private setOptions(params: Record<string, unknown>, user: SimUser): Answer {
    if (!user.isAdmin)
      return fail(403, 'ACCESS_DENIED', 'Access denied! Application options can be set by an administrator only.');
    const options = params.options;
    if (!options || typeof options !== 'object' || Array.isArray(options))
      return fail(400, 'INVALID_PARAMETERS', 'Wrong parameters: options must be an object');
    for (const [key, value] of Object.entries(options))
      this.appOptions[key] = typeof value === 'string' ? value : JSON.stringify(value);
    return ok(true);
  }

  private timelineComment(params: Record<string, unknown>): Answer {
    const fields = params.fields as Record<string, unknown> | undefined;
    if (!fields || typeof fields !== 'object') return fail(400, 'ERROR_ARGUMENT', 'Argument "fields" is required');
    for (const name of ['ENTITY_TYPE', 'ENTITY_ID', 'COMMENT']) {
      if (fields[name] === undefined || fields[name] === null || fields[name] === '')
        return fail(400, 'ERROR_ARGUMENT', `Field "${name}" is required`);
    }
    return ok(++this.nextId);
  }

  private notify(params: Record<string, unknown>): Answer {
    if (params.USER_ID === undefined || typeof params.MESSAGE !== 'string' || params.MESSAGE === '') {
      return fail(400, 'ERROR_ARGUMENT', 'USER_ID and MESSAGE are required');
    }
    return ok(++this.nextId);
  }

  private bindEvent(params: Record<string, unknown>, user: SimUser): Answer {
    if (!user.isAdmin)
      return fail(403, 'ACCESS_DENIED', 'Access denied! Events can be bound by an administrator only.');
    const event = String(params.event ?? params.EVENT ?? '').toUpperCase();
    const handler = String(params.handler ?? params.HANDLER ?? '');
    if (!/^[A-Z0-9_]{3,64}$/.test(event)) return fail(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
    if (!/^https?:\/\//.test(handler) || !URL.canParse(handler))
      return fail(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
    if (this.eventBindings.some((b) => b.event === event && b.handler === handler))
      return fail(400, 'ERROR_CORE', 'Handler already binded');
    this.eventBindings.push({ event, handler });
    return ok(true);
  }

  private unbindEvent(params: Record<string, unknown>, user: SimUser): Answer {
    if (!user.isAdmin) return fail(403, 'ACCESS_DENIED', 'Access denied!');
    const event = String(params.event ?? '').toUpperCase();
    const handler = typeof params.handler === 'string' ? params.handler : null;
    const before = this.eventBindings.length;
    for (let i = this.eventBindings.length - 1; i >= 0; i -= 1) {
      const binding = this.eventBindings[i];
      if (binding && binding.event === event && (handler === null || binding.handler === handler))
        this.eventBindings.splice(i, 1);
    }
    return ok({ count: before - this.eventBindings.length });
  }

  private bind(params: Record<string, unknown>, user: SimUser): Answer {
    if (!user.isAdmin)
      return fail(403, 'ACCESS_DENIED', 'Access denied! Placements can be bound by an administrator only.');
    const placement = String(params.PLACEMENT ?? '').toUpperCase();
    const handler = String(params.HANDLER ?? '');
    if (placement === '') return fail(400, 'ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty");
    if (!/^https?:\/\//.test(handler) || !URL.canParse(handler))
      return fail(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
    if (this.appOrigin !== null && new URL(handler).origin !== this.appOrigin)
      return fail(400, 'ERROR_WRONG_HANDLER_URL', "Handler URL host doesn't match the application's domain");
    const userId = Number(params.USER_ID ?? 0) || 0;
    if (userId !== 0 && !USER_MODE.has(placement))
      return fail(400, 'ERROR_PLACEMENT_USER_MODE', 'User mode is not available');
    const bound = this.placements.filter((p) => p.placement === placement && p.userId === userId);
    if (bound.length >= (PLACEMENT_MAX[placement] ?? 10))
      return fail(400, 'ERROR_PLACEMENT_MAX_COUNT', 'Placement max count exceeded');
    const options =
      params.OPTIONS && typeof params.OPTIONS === 'object' ? (params.OPTIONS as Record<string, unknown>) : {};
    const langAll =
      params.LANG_ALL && typeof params.LANG_ALL === 'object' ? (params.LANG_ALL as Record<string, unknown>) : {};
    const en = (langAll.en ?? {}) as Record<string, unknown>;
    const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
    const title = text(params.TITLE, text(en.TITLE, placement));
    this.placements.push({
      placement,
      handler,
      title,
      description: text(params.DESCRIPTION, text(en.DESCRIPTION, '')),
      options,
      userId,
      langAll,
    });
    return ok(true);
  }

  private unbind(params: Record<string, unknown>, user: SimUser): Answer {
    if (!user.isAdmin)
      return fail(403, 'ACCESS_DENIED', 'Access denied! Placements can be unbound by an administrator only.');
    const placement = String(params.PLACEMENT ?? '').toUpperCase();
    const handler = typeof params.HANDLER === 'string' && params.HANDLER !== '' ? params.HANDLER : null;
    const userId = params.USER_ID === undefined ? null : Number(params.USER_ID) || 0;
    const before = this.placements.length;
    for (let i = this.placements.length - 1; i >= 0; i--) {
      const p = this.placements[i];
      if (
        p &&
        p.placement === placement &&
        (handler === null || p.handler === handler) &&
        (userId === null || p.userId === userId)
      )
        this.placements.splice(i, 1);
    }
    return ok({ count: before - this.placements.length });
  }
}
