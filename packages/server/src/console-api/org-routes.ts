/** Operators' org routes (`/api/v1/operator/orgs…`) and an org's people (`/api/v1/orgs/{orgId}/members|invitations`). */
import {
  changeRoleBody,
  createOrgBody,
  createdOrgView,
  invitationParams,
  inviteBody,
  issuedInvitationView,
  listOrgsQuery,
  memberPage,
  memberParams,
  memberView,
  orgPage,
  orgParams,
  orgView,
  pageOfInvitations,
  pageOnlyQuery,
} from '@pims/contracts';
import type { ConsoleServices } from '@pims/core';
import type { FastifyInstance } from 'fastify';
import { defineRoute } from './define-route.js';

const page = (q: { limit?: number | undefined; cursor?: string | undefined }) => ({
  ...(q.limit !== undefined ? { limit: q.limit } : {}),
  ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
});

export function registerOrgRoutes(app: FastifyInstance, services: ConsoleServices): void {
  defineRoute(app, {
    method: 'POST',
    url: '/operator/orgs',
    summary: 'Create an org and invite its admins (operators)',
    body: createOrgBody,
    response: { 201: createdOrgView },
    handler: async ({ ctx, body, reply }) => {
      void reply.code(201);
      return services.createOrg(ctx, body);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/operator/orgs',
    summary: 'List orgs (operators)',
    query: listOrgsQuery,
    response: { 200: orgPage },
    handler: ({ ctx, query }) =>
      services.listOrgs(ctx, { ...page(query), ...(query.status ? { status: query.status } : {}) }),
  });
  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `/operator/orgs/:orgId/${verb}`,
      summary: `${verb === 'disable' ? 'Disable an org (its tokens are revoked)' : 'Enable an org'} (operators)`,
      params: orgParams,
      response: { 200: orgView },
      handler: ({ ctx, params }) => services.setOrgStatus(ctx, params.orgId, status),
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId',
    summary: 'An org the caller belongs to',
    params: orgParams,
    response: { 200: orgView },
    handler: ({ ctx, params }) => services.getOrg(ctx, params.orgId),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/members',
    summary: "The org's members (admins)",
    params: orgParams,
    query: pageOnlyQuery,
    response: { 200: memberPage },
    handler: ({ ctx, params, query }) => services.listMembers(ctx, params.orgId, page(query)),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/orgs/:orgId/members/:userId',
    summary: "Change a member's role (admins; never the last admin)",
    params: memberParams,
    body: changeRoleBody,
    response: { 200: memberView },
    handler: ({ ctx, params, body }) =>
      services.changeMemberRole(ctx, params.orgId, params.userId, body.role),
  });
  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `/orgs/:orgId/members/:userId/${verb}`,
      summary: `${verb === 'disable' ? 'Disable' : 'Enable'} a member's account (admins)`,
      params: memberParams,
      response: { 200: memberView },
      handler: ({ ctx, params }) => services.setMemberStatus(ctx, params.orgId, params.userId, status),
    });
  }
  defineRoute(app, {
    method: 'DELETE',
    url: '/orgs/:orgId/members/:userId',
    summary: 'Remove a member from the org (admins; never the last admin)',
    params: memberParams,
    response: { 204: null },
    handler: ({ ctx, params }) => services.removeMember(ctx, params.orgId, params.userId),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/orgs/:orgId/invitations',
    summary: 'Invite someone as admin or developer (admins); the link is returned once',
    params: orgParams,
    body: inviteBody,
    response: { 201: issuedInvitationView },
    handler: async ({ ctx, params, body, reply }) => {
      void reply.code(201);
      return services.inviteMember(ctx, params.orgId, body);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/invitations',
    summary: "The org's invitations (admins)",
    params: orgParams,
    query: pageOnlyQuery,
    response: { 200: pageOfInvitations },
    handler: ({ ctx, params, query }) => services.listInvitations(ctx, params.orgId, page(query)),
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/orgs/:orgId/invitations/:invitationId',
    summary: 'Revoke an open invitation (admins)',
    params: invitationParams,
    response: { 204: null },
    handler: ({ ctx, params }) => services.revokeInvitation(ctx, params.orgId, params.invitationId),
  });
}

export { page };
