/**
 * What the IMS token services need to know about their environment. The composition root fills it from the
 * validated config; tests build it directly.
 */

/** Milliseconds since the epoch. Injected so tests use fake time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface ImsSettings {
  /** Public base URL of this IMS, no trailing slash: `aud` is `{imsUrl}/c/{client_id}`, metascopes `{imsUrl}/s/{name}`. */
  imsUrl: string;
  /** Allowed clock difference for assertion `exp`, in seconds (DESIGN §3.1: 30). */
  clockSkewSeconds: number;
  /** How far ahead an assertion's `exp` may be, in seconds (default 24 h). */
  assertionMaxLifetimeSeconds: number;
  /** Lifetime of access tokens this IMS issues, in seconds; bounds how long a client-wide revocation is kept. */
  accessTokenLifetimeSeconds: number;
  rateLimits: {
    /** Token requests per client id (known or not). */
    perClient: RateLimitRule;
    /** Token requests per source address. */
    perAddress: RateLimitRule;
  };
}

/** `iat` and `nbf` may be at most this far in the future (SECURITY EX-5). */
export const MAX_IAT_AHEAD_SECONDS = 60;

export const defaultRateLimits: ImsSettings['rateLimits'] = Object.freeze({
  perClient: Object.freeze({ limit: 3000, windowMs: 10_000 }),
  perAddress: Object.freeze({ limit: 6000, windowMs: 10_000 }),
});

export function imsSettings(input: Partial<ImsSettings> & Pick<ImsSettings, 'imsUrl'>): ImsSettings {
  return Object.freeze({
    clockSkewSeconds: 30,
    assertionMaxLifetimeSeconds: 24 * 3600,
    accessTokenLifetimeSeconds: 24 * 3600,
    rateLimits: defaultRateLimits,
    ...input,
    imsUrl: input.imsUrl.replace(/\/+$/, ''),
  });
}
