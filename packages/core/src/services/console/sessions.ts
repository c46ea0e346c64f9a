/**
 * Sign-in and server-side sessions (SECURITY CON-3, CON-7). A session token is 256 random bits in a cookie; only its
 * keyed hash is stored. A new session (new id) at every login; idle and absolute timeouts; logout revokes it on the
 * server. Login gives the same answer for unknown users, wrong passwords, disabled accounts and accounts without a
 * password yet, and spends the same hashing time on each. It is throttled per (account, source address) and per source
 * address, so nobody can lock an account out from an address of their own.
 */
import { pimsError } from '@pims/contracts';
import type { Session } from '../../stores/records.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';
import { recordChange } from './audit-trail.js';

export type SubjectType = Session['subjectType'];

export interface LoginInput {
  email: string;
  password: string;
  userAgent: string | null;
}

export interface IssuedSession {
  /** The cookie value: shown to the browser, never stored. */
  token: string;
  /** Bound to the session: the browser sends it back as `X-Pims-CSRF`. */
  csrfToken: string;
  session: Session;
}

export interface ResolvedSession {
  session: Session;
  actor: { type: SubjectType; id: string };
}

const sessionHash = (deps: Pick<ConsoleDeps, 'hashToken'>, token: string) =>
  deps.hashToken(`session:${token}`);

/** The CSRF token of a session: derived from its secret cookie value, so it can't be guessed or fixed by an attacker. */
export function csrfTokenFor(deps: Pick<ConsoleDeps, 'hashToken'>, sessionToken: string): string {
  return deps.hashToken(`csrf:${sessionToken}`).slice(3);
}

export function checkCsrfToken(
  deps: Pick<ConsoleDeps, 'verifyToken'>,
  sessionToken: string,
  presented: string,
): boolean {
  return deps.verifyToken(`csrf:${sessionToken}`, `h1:${presented}`);
}

async function throttle(
  deps: ConsoleDeps,
  subjectType: SubjectType,
  email: string,
  ip: string | null,
): Promise<void> {
  const address = ip ?? 'unknown';
  for (const [key, rule] of [
    [`login:${subjectType}:${email}:${address}`, deps.settings.loginPerAccountAddress],
    [`login-address:${address}`, deps.settings.loginPerAddress],
  ] as const) {
    const decision = await deps.rateLimiter.hit(key, rule);
    if (!decision.allowed)
      throw pimsError('console.rate_limited', { retryAfterSeconds: decision.retryAfterSeconds });
  }
}

export async function issueSession(
  deps: ConsoleDeps,
  subject: { type: SubjectType; id: string },
  meta: { ip: string | null; userAgent: string | null },
): Promise<IssuedSession> {
  const token = deps.randomToken(32);
  const now = deps.clock.now();
  const session = await deps.storage.sessions.insertSession({
    id: deps.ids.uuid(),
    tokenHash: sessionHash(deps, token),
    subjectType: subject.type,
    subjectId: subject.id,
    ip: meta.ip,
    userAgent: meta.userAgent === null ? null : meta.userAgent.slice(0, 300),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + deps.settings.sessionAbsoluteMs,
    revokedAt: null,
  });
  return { token, csrfToken: csrfTokenFor(deps, token), session };
}

export async function login(
  deps: ConsoleDeps,
  subjectType: SubjectType,
  input: LoginInput,
  ctx: Omit<ConsoleContext, 'actor'>,
): Promise<IssuedSession> {
  const email = input.email.toLowerCase();
  await throttle(deps, subjectType, email, ctx.ip);
  const subject =
    subjectType === 'operator'
      ? await deps.storage.operators.findOperatorByEmail(email)
      : await deps.storage.users.findUserByEmail(email);
  let ok = false;
  if (subject?.passwordHash) ok = await deps.passwords.verify(input.password, subject.passwordHash);
  else await deps.passwords.burn(input.password);
  if (!ok || subject?.status !== 'active') {
    await recordChange(
      deps,
      deps.storage,
      { ...ctx, actor: { type: 'anonymous', id: null } },
      {
        orgId: null,
        action: 'session.login_failed',
        targetType: subjectType,
        targetId: subject?.id ?? '',
        outcome: 'failure',
      },
    );
    throw pimsError('console.unauthenticated');
  }
  const issued = await issueSession(
    deps,
    { type: subjectType, id: subject.id },
    { ip: ctx.ip, userAgent: input.userAgent },
  );
  await recordChange(
    deps,
    deps.storage,
    { ...ctx, actor: { type: subjectType, id: subject.id } },
    {
      orgId: null,
      action: 'session.created',
      targetType: 'session',
      targetId: issued.session.id,
    },
  );
  return issued;
}

/** The live session of a cookie value, or undefined (unknown, revoked, idle too long, past its absolute end, or its
 * subject disabled). Touches `lastSeenAt` at most once a minute. */
export async function resolveSession(deps: ConsoleDeps, token: string): Promise<ResolvedSession | undefined> {
  if (token.length < 16 || token.length > 100) return undefined;
  const session = await deps.storage.sessions.findSessionByTokenHash(sessionHash(deps, token));
  const now = deps.clock.now();
  if (
    session === undefined ||
    session.revokedAt !== null ||
    session.expiresAt <= now ||
    session.lastSeenAt + deps.settings.sessionIdleMs <= now
  )
    return undefined;
  const subject =
    session.subjectType === 'operator'
      ? await deps.storage.operators.findOperatorById(session.subjectId)
      : await deps.storage.users.findUserById(session.subjectId);
  if (subject?.status !== 'active') return undefined;
  if (now - session.lastSeenAt >= 60_000) await deps.storage.sessions.touchSession(session.id, now);
  return { session, actor: { type: session.subjectType, id: session.subjectId } };
}

export async function logout(deps: ConsoleDeps, ctx: ConsoleContext): Promise<void> {
  if (ctx.sessionId === undefined) return;
  await deps.storage.sessions.revokeSessionById(ctx.sessionId, deps.clock.now());
  await recordChange(deps, deps.storage, ctx, {
    orgId: null,
    action: 'session.ended',
    targetType: 'session',
    targetId: ctx.sessionId,
  });
}

function subjectOf(ctx: ConsoleContext): { type: SubjectType; id: string } {
  if (ctx.actor.type !== 'operator' && ctx.actor.type !== 'user') throw pimsError('console.unauthenticated');
  return { type: ctx.actor.type, id: ctx.actor.id };
}

export async function listOwnSessions(deps: ConsoleDeps, ctx: ConsoleContext): Promise<Session[]> {
  const subject = subjectOf(ctx);
  const now = deps.clock.now();
  return (await deps.storage.sessions.listSessionsOfSubject(subject.type, subject.id)).filter(
    (s) => s.revokedAt === null && s.expiresAt > now && s.lastSeenAt + deps.settings.sessionIdleMs > now,
  );
}

export async function revokeOwnSession(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  sessionId: string,
): Promise<void> {
  const own = await listOwnSessions(deps, ctx);
  if (!own.some((s) => s.id === sessionId)) throw pimsError('console.not_found');
  await deps.storage.sessions.revokeSessionById(sessionId, deps.clock.now());
  await recordChange(deps, deps.storage, ctx, {
    orgId: null,
    action: 'session.revoked',
    targetType: 'session',
    targetId: sessionId,
  });
}

/** Changes the caller's password; every session of theirs ends, and the caller gets a fresh one. */
export async function changePassword(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  input: { currentPassword: string; newPassword: string; userAgent: string | null },
): Promise<IssuedSession> {
  const subject = subjectOf(ctx);
  const record =
    subject.type === 'operator'
      ? await deps.storage.operators.findOperatorById(subject.id)
      : await deps.storage.users.findUserById(subject.id);
  if (!record?.passwordHash || !(await deps.passwords.verify(input.currentPassword, record.passwordHash)))
    throw pimsError('console.validation_failed', {
      details: [{ field: 'currentPassword', message: 'is not right' }],
    });
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const now = deps.clock.now();
  await deps.storage.transaction(async (stores) => {
    if (subject.type === 'operator')
      await stores.operators.updateOperatorById(subject.id, { passwordHash, updatedAt: now });
    else await stores.users.updateUserById(subject.id, { passwordHash, updatedAt: now });
    await stores.sessions.revokeSessionsOfSubject(subject.type, subject.id, now);
    await recordChange(deps, stores, ctx, {
      orgId: null,
      action: 'password.changed',
      targetType: subject.type,
      targetId: subject.id,
    });
  });
  return issueSession(deps, subject, { ip: ctx.ip, userAgent: input.userAgent });
}
