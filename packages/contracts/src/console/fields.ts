/**
 * Field schemas of the console REST API (`/api/v1`), shared by the server (validation, OpenAPI) and the console UI.
 * Names are stored verbatim (no HTML escaping here: the UI escapes wherever it shows them).
 */
import { z } from 'zod';

/** Lower-cased e-mail address, at most 254 characters. */
export const emailField = z
  .email({ error: 'must be an e-mail address' })
  .max(254, { error: 'must be at most 254 characters' })
  .transform((value) => value.toLowerCase());

/** A display name: 1-200 characters after trimming, no control characters. */
export const nameField = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters' });

export const descriptionField = z
  .string({ error: 'must be a string' })
  .max(2000, { error: 'must be at most 2000 characters' });

/** 12-1024 characters (ASVS: length over composition rules; the cap bounds hashing work). */
export const passwordField = z
  .string({ error: 'must be a string' })
  .min(12, { error: 'must be at least 12 characters' })
  .max(1024, { error: 'must be at most 1024 characters' });

export const roleField = z.enum(['admin', 'developer'], { error: 'must be admin or developer' });
export type ConsoleRole = z.infer<typeof roleField>;

export const uuidField = z.uuid({ error: 'must be an id' });
export const orgIdField = z
  .string({ error: 'must be an org id' })
  .max(100, { error: 'must be an org id' })
  .regex(/^[0-9A-F]{24}@[A-Za-z0-9.-]+$/, { error: 'must be an org id' });

/** Page size 1-500 and an opaque cursor. */
export const pageQuery = {
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1)
    .max(500)
    .optional(),
  cursor: z.string().max(500, { error: 'must be at most 500 characters' }).optional(),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
