/**
 * zod schemas that turn the raw text of one setting (an environment variable or a flag) into its value. They only
 * decide valid or not; the message comes from the setting's `expected` text, so no value is ever echoed by zod.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { Secret } from './secret.js';

export type ValueSchema<T> = z.ZodType<T, string>;

export function integer(min: number, max: number): ValueSchema<number> {
  return z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

const truthy = ['true', '1', 'yes', 'on'];
const falsy = ['false', '0', 'no', 'off'];
export const boolean: ValueSchema<boolean> = z
  .string()
  .toLowerCase()
  .pipe(z.enum([...truthy, ...falsy]))
  .transform((value) => truthy.includes(value));

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): ValueSchema<T[number]> {
  return z.enum(values);
}

export function pattern(regex: RegExp): ValueSchema<string> {
  return z.string().regex(regex);
}

export const path: ValueSchema<string> = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\0'));

const hostnamePattern =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
export const host: ValueSchema<string> = z
  .string()
  .refine((value) => isIP(value) !== 0 || hostnamePattern.test(value));

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** An http(s) base URL without credentials, query or fragment; normalised without a trailing slash. */
export const publicUrl: ValueSchema<string> = z.string().transform((raw, ctx) => {
  const url = parseUrl(raw);
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === '' ||
    url.username !== '' ||
    url.password !== '' ||
    raw.includes('?') ||
    raw.includes('#')
  ) {
    ctx.addIssue({ code: 'custom', message: 'not a public base URL' });
    return z.NEVER;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
});

/** A URL with one of the given schemes (`redis:`, `smtps:`…), kept as given. */
export function urlWithScheme(...schemes: string[]): ValueSchema<string> {
  return z.string().refine((raw) => {
    const url = parseUrl(raw);
    return url !== undefined && schemes.includes(url.protocol) && url.host !== '';
  });
}

export type DatabaseTarget = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; file: string };

/** `postgres://…` / `postgresql://…`, or `sqlite:<file>` (`sqlite::memory:` for tests). */
export const databaseUrl: ValueSchema<DatabaseTarget> = z.string().transform((raw, ctx): DatabaseTarget => {
  if (/^postgres(ql)?:\/\//i.test(raw) && parseUrl(raw) !== undefined)
    return { dialect: 'postgres', url: raw };
  const file = /^sqlite:(.+)$/i.exec(raw)?.[1];
  if (file !== undefined && !file.includes('\0')) return { dialect: 'sqlite', file };
  ctx.addIssue({ code: 'custom', message: 'not a database URL' });
  return z.NEVER;
});

/** Base64 (or base64url) text of a key of `min`…`max` bytes, kept as a Secret. */
export function base64Key(min: number, max: number): ValueSchema<Secret> {
  return z.string().transform((raw, ctx) => {
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64').length : 0;
    if (bytes < min || bytes > max) {
      ctx.addIssue({ code: 'custom', message: 'not a key' });
      return z.NEVER;
    }
    return new Secret(raw);
  });
}
