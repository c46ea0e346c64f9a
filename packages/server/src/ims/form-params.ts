/**
 * Form bodies of the IMS protocol endpoints (SECURITY EX-1): `application/x-www-form-urlencoded` or
 * `multipart/form-data` (what Adobe's Node clients send through `form-data`), size-capped, every parameter at most
 * once. The parsers keep the raw body; `readForm` turns it into parameters, so a duplicate is seen, not merged.
 */
import { pimsError } from '@pims/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type RawForm =
  { kind: 'urlencoded'; text: string } | { kind: 'multipart'; bytes: Buffer; contentType: string };

export type Params = ReadonlyMap<string, string>;

/** The media types of every IMS form endpoint (the OpenAPI document's `consumes`). */
export const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const;

/**
 * Route option of the form endpoints: their body, query and header schemas are declared for the OpenAPI document,
 * while `readForm`, `readQuery` and `required`/`optional` check them (duplicates refused, the IMS error vocabulary),
 * so Fastify's own validator is switched off on those routes. The parsed body is a raw form, not the parameters.
 */
export const checkedByHandler = { validatorCompiler: () => () => true } as const;

/** An object schema of form parameters, all strings. */
export function formParameters(
  properties: Record<string, { maxLength: number; description: string; enum?: readonly string[] }>,
  required: readonly string[] = [],
) {
  const props = Object.fromEntries(
    Object.entries(properties).map(([name, spec]) => [name, { type: 'string', ...spec }]),
  );
  return { type: 'object', properties: props, ...(required.length > 0 ? { required } : {}) } as const;
}

/** Longest value of any single parameter; an assertion is a few kilobytes. */
const MAX_PARAMETER_LENGTH = 16 * 1024;

/** Replaces the inherited body parsers of this plugin's routes with the two form parsers, capped at `bodyLimit`. */
export function registerFormParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => done(null, { kind: 'urlencoded', text: body as string } satisfies RawForm),
  );
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (request, body, done) =>
    done(null, {
      kind: 'multipart',
      bytes: body as Buffer,
      contentType: request.headers['content-type'] ?? '',
    } satisfies RawForm),
  );
}

function collect(entries: Iterable<[string, unknown]>): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of entries) {
    if (typeof value !== 'string') throw pimsError('ims.bad_request'); // a file part
    if (params.has(name)) throw pimsError('ims.duplicate_parameter');
    if (value.length > MAX_PARAMETER_LENGTH) throw pimsError('ims.bad_request');
    params.set(name, value);
  }
  return params;
}

/** The body's parameters (empty when there is no body). */
export async function readForm(request: FastifyRequest): Promise<Map<string, string>> {
  const raw = request.body as RawForm | undefined;
  if (raw === undefined || raw === null) return new Map();
  if (raw.kind === 'urlencoded') return collect(new URLSearchParams(raw.text));
  let form: FormData;
  try {
    form = await new Response(raw.bytes, { headers: { 'content-type': raw.contentType } }).formData();
  } catch {
    throw pimsError('ims.bad_request');
  }
  return collect(form.entries());
}

/** The query string's parameters, duplicates refused. */
export function readQuery(request: FastifyRequest): Map<string, string> {
  const index = request.url.indexOf('?');
  return collect(index < 0 ? [] : new URLSearchParams(request.url.slice(index + 1)));
}

/** Body and query together, for endpoints that accept both; a name in both is a duplicate. */
export function mergeParams(body: Params, query: Params): Map<string, string> {
  const merged = new Map(body);
  for (const [name, value] of query) {
    if (merged.has(name)) throw pimsError('ims.duplicate_parameter');
    merged.set(name, value);
  }
  return merged;
}

/** A required parameter: present, non-empty, at most `maxLength` characters. */
export function required(params: Params, name: string, maxLength = 512): string {
  const value = params.get(name);
  if (value === undefined || value.length === 0 || value.length > maxLength)
    throw pimsError('ims.bad_request');
  return value;
}

export function optional(params: Params, name: string, maxLength = 512): string | undefined {
  const value = params.get(name);
  if (value === undefined || value.length === 0) return undefined;
  if (value.length > maxLength) throw pimsError('ims.bad_request');
  return value;
}
