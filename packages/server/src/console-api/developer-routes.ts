/** Developer Console routes: projects, credentials, client secrets, certificates, workspace download. */
import {
  certificateInput,
  certificateParams,
  createCredentialBody,
  createProjectBody,
  createdCertificateView,
  createdCredentialView,
  createdSecretView,
  credentialDetailView,
  credentialPage,
  credentialParams,
  listCredentialsQuery,
  orgParams,
  pageOnlyQuery,
  projectPage,
  projectParams,
  projectView,
  secretParams,
  updateCredentialBody,
  updateProjectBody,
  workspaceFileView,
} from '@pims/contracts';
import type { ConsoleServices } from '@pims/core';
import type { FastifyInstance } from 'fastify';
import { defineRoute } from './define-route.js';
import { page } from './org-routes.js';

const CRED = '/orgs/:orgId/credentials/:credentialId';

export function registerDeveloperRoutes(app: FastifyInstance, services: ConsoleServices): void {
  defineRoute(app, {
    method: 'POST',
    url: '/orgs/:orgId/projects',
    summary: 'Create a project',
    params: orgParams,
    body: createProjectBody,
    response: { 201: projectView },
    handler: async ({ ctx, params, body, reply }) => {
      void reply.code(201);
      return services.createProject(ctx, params.orgId, body);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/projects',
    summary: "The org's projects",
    params: orgParams,
    query: pageOnlyQuery,
    response: { 200: projectPage },
    handler: ({ ctx, params, query }) => services.listProjects(ctx, params.orgId, page(query)),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/projects/:projectId',
    summary: 'One project',
    params: projectParams,
    response: { 200: projectView },
    handler: ({ ctx, params }) => services.getProject(ctx, params.orgId, params.projectId),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/orgs/:orgId/projects/:projectId',
    summary: 'Rename or describe a project',
    params: projectParams,
    body: updateProjectBody,
    response: { 200: projectView },
    handler: ({ ctx, params, body }) => services.updateProject(ctx, params.orgId, params.projectId, body),
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/orgs/:orgId/projects/:projectId',
    summary: 'Delete a project and its credentials (their tokens are revoked)',
    params: projectParams,
    response: { 204: null },
    handler: ({ ctx, params }) => services.deleteProject(ctx, params.orgId, params.projectId),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/orgs/:orgId/credentials',
    summary: 'Create a credential (secret, and a generated private key, returned once)',
    params: orgParams,
    body: createCredentialBody,
    response: { 201: createdCredentialView },
    handler: async ({ ctx, params, body, reply }) => {
      void reply.code(201);
      return services.createCredential(ctx, params.orgId, body);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/credentials',
    summary: "The org's credentials (optionally of one project)",
    params: orgParams,
    query: listCredentialsQuery,
    response: { 200: credentialPage },
    handler: ({ ctx, params, query }) =>
      services.listCredentials(ctx, params.orgId, { ...page(query), projectId: query.projectId }),
  });
  defineRoute(app, {
    method: 'GET',
    url: CRED,
    summary: 'One credential with its secret hints and certificates',
    params: credentialParams,
    response: { 200: credentialDetailView },
    handler: ({ ctx, params }) => services.getCredential(ctx, params.orgId, params.credentialId),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: CRED,
    summary: 'Rename a credential, or enable OAuth server-to-server on it',
    params: credentialParams,
    body: updateCredentialBody,
    response: { 200: credentialDetailView },
    handler: ({ ctx, params, body }) =>
      services.updateCredential(ctx, params.orgId, params.credentialId, body),
  });
  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    defineRoute(app, {
      method: 'POST',
      url: `${CRED}/${verb}`,
      summary: verb === 'disable' ? 'Disable a credential (its tokens are revoked)' : 'Enable a credential',
      params: credentialParams,
      response: { 200: credentialDetailView },
      handler: ({ ctx, params }) =>
        services.setCredentialStatus(ctx, params.orgId, params.credentialId, status),
    });
  }
  defineRoute(app, {
    method: 'DELETE',
    url: CRED,
    summary: 'Delete a credential (its tokens are revoked)',
    params: credentialParams,
    response: { 204: null },
    handler: ({ ctx, params }) => services.deleteCredential(ctx, params.orgId, params.credentialId),
  });
  defineRoute(app, {
    method: 'GET',
    url: `${CRED}/workspace`,
    summary: 'Download the workspace JSON (no client secret: secrets are shown only when made)',
    params: credentialParams,
    response: { 200: workspaceFileView },
    handler: async ({ ctx, params, reply }) => {
      void reply.header('content-disposition', 'attachment; filename="workspace.json"');
      return services.credentialWorkspace(ctx, params.orgId, params.credentialId);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: `${CRED}/secrets`,
    summary: 'Add a client secret (at most 2; shown once)',
    params: credentialParams,
    response: { 201: createdSecretView },
    handler: async ({ ctx, params, reply }) => {
      void reply.code(201);
      return services.addClientSecret(ctx, params.orgId, params.credentialId);
    },
  });
  defineRoute(app, {
    method: 'DELETE',
    url: `${CRED}/secrets/:secretId`,
    summary: 'Delete a client secret (not the last one)',
    params: secretParams,
    response: { 204: null },
    handler: ({ ctx, params }) =>
      services.deleteClientSecret(ctx, params.orgId, params.credentialId, params.secretId),
  });
  defineRoute(app, {
    method: 'POST',
    url: `${CRED}/certificates`,
    summary: 'Upload a certificate, or generate a key pair (private key returned once); at most 3 active',
    params: credentialParams,
    body: certificateInput,
    response: { 201: createdCertificateView },
    handler: async ({ ctx, params, body, reply }) => {
      void reply.code(201);
      return services.addCertificate(ctx, params.orgId, params.credentialId, body);
    },
  });
  defineRoute(app, {
    method: 'DELETE',
    url: `${CRED}/certificates/:certificateId`,
    summary: 'Revoke a certificate',
    params: certificateParams,
    response: { 204: null },
    handler: ({ ctx, params }) =>
      services.revokeCertificate(ctx, params.orgId, params.credentialId, params.certificateId),
  });
}
