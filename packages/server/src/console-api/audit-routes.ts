/** Audit log reads: an org's admins (`/api/v1/orgs/{orgId}/audit`), operators (`/api/v1/operator/audit`); `format=csv`. */
import { auditPage, auditQuery, operatorAuditQuery, orgParams, type SchemaOutput } from '@pims/contracts';
import { auditCsv, type ConsoleServices } from '@pims/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { defineRoute } from './define-route.js';

type Query = SchemaOutput<typeof operatorAuditQuery>;

function filterOf(query: Query) {
  const { format: _format, ...filter } = query;
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}

function render(
  reply: FastifyReply,
  format: Query['format'],
  page: Awaited<ReturnType<ConsoleServices['listAllAudit']>>,
) {
  if (format !== 'csv') return page;
  void reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', 'attachment; filename="audit.csv"');
  if (page.nextCursor !== undefined) void reply.header('x-next-cursor', page.nextCursor);
  return reply.serializer((body: unknown) => body as string).send(auditCsv(page.items));
}

export function registerAuditRoutes(app: FastifyInstance, services: ConsoleServices): void {
  defineRoute(app, {
    method: 'GET',
    url: '/orgs/:orgId/audit',
    summary: "The org's audit log, newest first (admins); filters are allow-listed; format=csv exports",
    params: orgParams,
    query: auditQuery,
    response: { 200: auditPage },
    handler: async ({ ctx, params, query, reply }) =>
      render(reply, query.format, await services.listOrgAudit(ctx, params.orgId, filterOf(query))),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/operator/audit',
    summary: 'Every org’s audit log (operators)',
    query: operatorAuditQuery,
    response: { 200: auditPage },
    handler: async ({ ctx, query, reply }) =>
      render(reply, query.format, await services.listAllAudit(ctx, filterOf(query))),
  });
}
