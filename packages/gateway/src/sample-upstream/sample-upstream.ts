/**
 * The sample upstream that ships with the sandbox (DESIGN §3.4): per-org customers under `/v3/customers`, in memory,
 * keyed by the `X-Pims-Org-Id` header the gateway sets. Another org's customer answers 404. It is a Fastify plugin,
 * served in process behind the gateway (`upstream: sampleUpstream()`) or on its own behind a remote gateway.
 */
import { pimsError, toPartnerApiError } from '@pims/contracts';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ORG_HEADER } from '../proxy/identity-headers.js';
import { CustomerStore } from './customer-store.js';

function render(reply: FastifyReply, code: Parameters<typeof pimsError>[0]) {
  const rendered = toPartnerApiError(pimsError(code));
  return reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
}

function orgOf(request: FastifyRequest): string | undefined {
  const org = request.headers[ORG_HEADER];
  return typeof org === 'string' && org !== '' ? org : undefined;
}

const createBody = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', maxLength: 320 },
  },
} as const;

/** The sample upstream plugin; each call has its own store. */
export function sampleUpstream(store = new CustomerStore()): FastifyPluginAsync {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
  return async function customers(app: FastifyInstance): Promise<void> {
    app.post<{ Body: { name: string; email?: string } }>(
      '/v3/customers',
      { schema: { body: createBody }, bodyLimit: 16 * 1024 },
      (request, reply) => {
        const org = orgOf(request);
        if (org === undefined) return render(reply, 'partner.forbidden');
        const customer = store.insertCustomer(
          org,
          { name: request.body.name, email: request.body.email ?? null },
          new Date(),
        );
        if (customer === undefined) return render(reply, 'partner.forbidden');
        return reply.code(201).send(customer);
      },
    );
    app.get('/v3/customers', (request, reply) => {
      const org = orgOf(request);
      if (org === undefined) return render(reply, 'partner.forbidden');
      return reply.send({ customers: store.listCustomers(org) });
    });
    app.get<{ Params: { id: string } }>('/v3/customers/:id', (request, reply) => {
      const org = orgOf(request);
      if (org === undefined) return render(reply, 'partner.forbidden');
      const customer = store.findCustomerById(org, request.params.id);
      if (customer === undefined) return render(reply, 'partner.not_found');
      return reply.send(customer);
    });
  };
}
