/**
 * Projects of the Developer Console. Readable by every member; written by whoever may write credentials (production:
 * members; sandbox: operators). Deleting a project deletes its credentials, whose tokens are revoked.
 */
import { pimsError } from '@pims/contracts';
import type { Page, Project } from '../../stores/records.js';
import type { ListOptions } from '../../stores/stores.js';
import { MEMBERS, requireCredentialWriter, requireOrgRole } from './access.js';
import { recordChange } from './audit-trail.js';
import { isUniqueViolation } from './conflicts.js';
import type { ConsoleContext, ConsoleDeps } from './console-deps.js';

const nameTaken = () =>
  pimsError('console.conflict', { details: [{ field: 'name', message: 'is already used in this org' }] });

async function orConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

export async function createProject(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  input: { name: string; description?: string | undefined },
): Promise<Project> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const now = deps.clock.now();
  return orConflict(
    deps.storage.transaction(async (stores) => {
      const project = await stores.projects.insertProject(orgId, {
        id: deps.ids.uuid(),
        name: input.name,
        description: input.description ?? '',
        createdAt: now,
        updatedAt: now,
      });
      await recordChange(deps, stores, ctx, {
        orgId,
        action: 'project.created',
        targetType: 'project',
        targetId: project.id,
        details: { name: project.name },
      });
      return project;
    }),
  );
}

export async function listProjects(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  options: ListOptions,
): Promise<Page<Project>> {
  await requireOrgRole(deps.storage, ctx, orgId, MEMBERS);
  return deps.storage.projects.listProjects(orgId, options);
}

export async function getProject(
  deps: Pick<ConsoleDeps, 'storage'>,
  ctx: ConsoleContext,
  orgId: string,
  projectId: string,
): Promise<Project> {
  await requireOrgRole(deps.storage, ctx, orgId, MEMBERS);
  const project = await deps.storage.projects.findProjectById(orgId, projectId);
  if (!project) throw pimsError('console.not_found');
  return project;
}

export async function updateProject(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  projectId: string,
  patch: { name?: string | undefined; description?: string | undefined },
): Promise<Project> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  return orConflict(
    deps.storage.transaction(async (stores) => {
      const project = await stores.projects.updateProjectById(orgId, projectId, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        updatedAt: deps.clock.now(),
      });
      if (!project) throw pimsError('console.not_found');
      await recordChange(deps, stores, ctx, {
        orgId,
        action: 'project.updated',
        targetType: 'project',
        targetId: projectId,
        details: { fields: Object.keys(patch) },
      });
      return project;
    }),
  );
}

export async function deleteProject(
  deps: ConsoleDeps,
  ctx: ConsoleContext,
  orgId: string,
  projectId: string,
): Promise<void> {
  await requireCredentialWriter(deps, deps.storage, ctx, orgId);
  const credentials = await deps.storage.transaction(async (stores) => {
    const listed = await stores.credentials.listCredentials(orgId, { projectId, limit: 500 });
    if (!(await stores.projects.deleteProjectById(orgId, projectId))) throw pimsError('console.not_found');
    await recordChange(deps, stores, ctx, {
      orgId,
      action: 'project.deleted',
      targetType: 'project',
      targetId: projectId,
      details: { credentials: listed.items.map((c) => c.clientId) },
    });
    return listed.items;
  });
  for (const credential of credentials) await deps.revoker.revokeCredential(credential);
}
