/**
 * The Developer Console's credential download (DESIGN §3.5): the workspace JSON Adobe's tools read. One credential
 * entry carries a `jwt` block and/or an `oauth_server_to_server` block (same client id, technical account and
 * scopes when both are enabled).
 */
import type { Credential, Organization, Project } from '../../stores/records.js';

export interface WorkspaceFileInput {
  org: Pick<Organization, 'id' | 'name'>;
  project: Pick<Project, 'id' | 'name' | 'description'>;
  credential: Credential;
  /** Plain client secrets to include (the download is the one time they are shown). */
  clientSecrets: readonly string[];
}

export function buildWorkspaceFile(input: WorkspaceFileInput): Record<string, unknown> {
  const { org, project, credential } = input;
  const entry: Record<string, unknown> = {
    id: credential.id,
    name: credential.name,
    integration_type: credential.jwtEnabled ? 'service' : 'oauth_server_to_server',
  };
  if (credential.jwtEnabled) {
    entry.jwt = {
      client_id: credential.clientId,
      client_secret: input.clientSecrets[0] ?? '',
      technical_account_email: credential.technicalAccountEmail,
      technical_account_id: credential.technicalAccountId,
      meta_scopes: credential.metascopes,
    };
  }
  if (credential.oauthEnabled) {
    entry.oauth_server_to_server = {
      client_id: credential.clientId,
      client_secrets: [...input.clientSecrets],
      technical_account_email: credential.technicalAccountEmail,
      technical_account_id: credential.technicalAccountId,
      scopes: credential.scopes,
    };
  }
  return {
    project: {
      id: project.id,
      name: project.name,
      title: project.name,
      description: project.description,
      org: { id: org.id, name: org.name, ims_org_id: org.id },
      workspace: {
        id: project.id,
        name: 'Production',
        title: 'Production',
        details: { credentials: [entry], services: [] },
      },
    },
  };
}
