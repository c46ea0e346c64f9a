/** Developer Console: projects, credentials, client secrets and certificates (`/api/v1/orgs/{orgId}/…`). */
import { z } from 'zod';
import { descriptionField, nameField, orgIdField, pageOf, pageQuery, uuidField } from './fields.js';

/** Largest certificate upload accepted (PEM text). */
export const MAX_CERTIFICATE_PEM = 16 * 1024;

export const projectParams = z.strictObject({ orgId: orgIdField, projectId: uuidField });
export const createProjectBody = z.strictObject({
  name: nameField,
  description: descriptionField.optional(),
});
export const updateProjectBody = z
  .strictObject({ name: nameField.optional(), description: descriptionField.optional() })
  .refine((body) => body.name !== undefined || body.description !== undefined, {
    error: 'must change name or description',
  });
export const projectView = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const projectPage = pageOf(projectView);

export const certificateInput = z.union(
  [
    z.strictObject({ pem: z.string().min(1, { error: 'must not be empty' }).max(MAX_CERTIFICATE_PEM) }),
    z.strictObject({ generate: z.literal(true) }),
  ],
  { error: 'must be {"pem": "<X.509 PEM>"} or {"generate": true}' },
);
export type CertificateInput = z.infer<typeof certificateInput>;

export const createCredentialBody = z
  .strictObject({
    projectId: uuidField,
    name: nameField,
    jwt: z.boolean({ error: 'must be true or false' }).default(true),
    oauth: z.boolean({ error: 'must be true or false' }).default(false),
    certificate: certificateInput.optional(),
  })
  .refine((body) => body.jwt || body.oauth, { error: 'enable jwt, oauth or both', path: ['jwt'] });
export type CreateCredentialBody = z.infer<typeof createCredentialBody>;

export const updateCredentialBody = z
  .strictObject({
    name: nameField.optional(),
    /** Only `true`: OAuth server-to-server is added to a JWT credential, never taken away here. */
    oauth: z.literal(true, { error: 'can only be true' }).optional(),
  })
  .refine((body) => body.name !== undefined || body.oauth !== undefined, {
    error: 'must change name or oauth',
  });

export const credentialParams = z.strictObject({ orgId: orgIdField, credentialId: uuidField });
export const secretParams = z.strictObject({
  orgId: orgIdField,
  credentialId: uuidField,
  secretId: uuidField,
});
export const certificateParams = z.strictObject({
  orgId: orgIdField,
  credentialId: uuidField,
  certificateId: uuidField,
});
export const listCredentialsQuery = z.strictObject({ ...pageQuery, projectId: uuidField.optional() });

export const secretView = z.object({
  id: z.string(),
  hint: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export const certificateView = z.object({
  id: z.string(),
  fingerprintSha256: z.string(),
  notBefore: z.number(),
  notAfter: z.number(),
  status: z.enum(['active', 'revoked']),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
  pem: z.string(),
});
export const credentialView = z.object({
  id: z.string(),
  orgId: z.string(),
  projectId: z.string(),
  name: z.string(),
  clientId: z.string(),
  technicalAccountId: z.string(),
  technicalAccountEmail: z.string(),
  jwtEnabled: z.boolean(),
  oauthEnabled: z.boolean(),
  metascopes: z.array(z.string()),
  scopes: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export const credentialDetailView = credentialView.extend({
  secrets: z.array(secretView),
  certificates: z.array(certificateView),
});
export const credentialPage = pageOf(credentialView);

/** Returned once, when made: the plain client secret and, for a generated key pair, the private key. */
export const createdCredentialView = z.object({
  credential: credentialDetailView,
  clientSecret: z.string(),
  privateKey: z.string().optional(),
  workspace: z.record(z.string(), z.unknown()),
});
export const createdSecretView = z.object({ secret: secretView, clientSecret: z.string() });
export const createdCertificateView = z.object({
  certificate: certificateView,
  privateKey: z.string().optional(),
});
export const workspaceFileView = z.record(z.string(), z.unknown());
