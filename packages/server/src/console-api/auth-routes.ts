/** `/api/v1/auth/*`, `/api/v1/operator/auth/login`, `/api/v1/invitations/accept`: sign-in, sessions, password. */
import {
  acceptInvitationBody,
  acceptedInvitationView,
  changePasswordBody,
  loginBody,
  pimsError,
  sessionList,
  sessionParams,
  sessionStateView,
} from '@pims/contracts';
import type { ConsoleContext, ConsoleServices, IssuedSession } from '@pims/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defineRoute } from './define-route.js';
import { sessionTokenOf } from './request-auth.js';
import { clearCookieHeader, setCookieHeader, type SessionCookie } from './session-cookie.js';

export interface AuthRoutesDeps {
  services: ConsoleServices;
  cookie: SessionCookie;
}

const userAgent = (request: FastifyRequest) => request.headers['user-agent'] ?? null;

async function sessionState(
  services: ConsoleServices,
  ctx: ConsoleContext,
  csrfToken: string,
  expiresAt: number,
) {
  const { storage } = services.deps;
  if (ctx.actor.type === 'operator') {
    const operator = await storage.operators.findOperatorById(ctx.actor.id);
    if (!operator) throw pimsError('console.unauthenticated');
    return {
      subject: { type: 'operator' as const, id: operator.id, email: operator.email, name: operator.name },
      memberships: [],
      csrfToken,
      expiresAt,
    };
  }
  if (ctx.actor.type !== 'user') throw pimsError('console.unauthenticated');
  const user = await storage.users.findUserById(ctx.actor.id);
  if (!user) throw pimsError('console.unauthenticated');
  const memberships = [];
  for (const m of await storage.memberships.listMembershipsOfUser(user.id)) {
    const org = await storage.organizations.findOrganizationById(m.orgId);
    if (org) memberships.push({ orgId: org.id, orgName: org.name, role: m.role });
  }
  return {
    subject: { type: 'user' as const, id: user.id, email: user.email, name: user.name },
    memberships,
    csrfToken,
    expiresAt,
  };
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  const { services, cookie } = deps;
  const absoluteSeconds = Math.floor(services.deps.settings.sessionAbsoluteMs / 1000);
  const start = async (reply: FastifyReply, issued: IssuedSession, ctx: ConsoleContext) => {
    void reply.header('set-cookie', setCookieHeader(cookie, issued.token, absoluteSeconds));
    const withActor: ConsoleContext = {
      ...ctx,
      actor: { type: issued.session.subjectType, id: issued.session.subjectId },
    };
    return sessionState(services, withActor, issued.csrfToken, issued.session.expiresAt);
  };

  for (const [url, subject] of [
    ['/auth/login', 'user'],
    ['/operator/auth/login', 'operator'],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url,
      summary: `Sign in as ${subject === 'user' ? 'an org member' : 'an operator'}; sets a new session cookie`,
      auth: 'none',
      body: loginBody,
      response: { 200: sessionStateView },
      handler: async ({ body, ctx, request, reply }) => {
        const issued = await services.login(subject, { ...body, userAgent: userAgent(request) }, ctx);
        return start(reply, issued, ctx);
      },
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: '/auth/session',
    summary: 'The signed-in subject, its orgs and the CSRF token of this session',
    response: { 200: sessionStateView },
    handler: async ({ ctx, request }) => {
      const token = sessionTokenOf(request) ?? '';
      const session = (await services.listOwnSessions(ctx)).find((s) => s.id === ctx.sessionId);
      return sessionState(services, ctx, services.csrfTokenFor(token), session?.expiresAt ?? 0);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/auth/logout',
    summary: 'End this session on the server and clear the cookie',
    response: { 204: null },
    handler: async ({ ctx, reply }) => {
      await services.logout(ctx);
      void reply.header('set-cookie', clearCookieHeader(cookie));
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/auth/sessions',
    summary: "The caller's live sessions",
    response: { 200: sessionList },
    handler: async ({ ctx }) => ({
      items: (await services.listOwnSessions(ctx)).map((s) => ({
        id: s.id,
        current: s.id === ctx.sessionId,
        ip: s.ip,
        userAgent: s.userAgent,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        expiresAt: s.expiresAt,
      })),
    }),
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/auth/sessions/:sessionId',
    summary: 'End one of the caller’s sessions',
    params: sessionParams,
    response: { 204: null },
    handler: async ({ ctx, params }) => services.revokeOwnSession(ctx, params.sessionId),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/auth/password',
    summary: 'Change the password; every session ends and this one is replaced',
    body: changePasswordBody,
    response: { 200: sessionStateView },
    handler: async ({ ctx, body, request, reply }) => {
      const issued = await services.changePassword(ctx, { ...body, userAgent: userAgent(request) });
      return start(reply, issued, ctx);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/invitations/accept',
    summary: 'Accept an invitation with a password (the token comes from the invitation link)',
    auth: 'none',
    body: acceptInvitationBody,
    response: { 200: acceptedInvitationView },
    handler: async ({ ctx, body }) =>
      services.acceptInvitation({ ip: ctx.ip, requestId: ctx.requestId }, body),
  });
}
