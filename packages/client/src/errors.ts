/**
 * The SDK's errors: one base class, a few subclasses, and a stable `code` for programs to branch on.
 * Messages never contain secrets, private keys or whole tokens.
 */

/**
 * Every `code` a {@link PimsError} can carry. Stable: new codes may be added, existing ones never change meaning.
 *
 * @example
 * ```ts
 * try { await client.getAccessToken(); } catch (e) {
 *   if (e instanceof PimsError && e.code === 'ims_rejected') console.error(e.error, e.status);
 * }
 * ```
 */
export type PimsErrorCode =
  | 'configuration_invalid'
  | 'proxy_unavailable'
  | 'credential_invalid'
  | 'credential_not_found'
  | 'private_key_invalid'
  | 'ims_rejected'
  | 'ims_unavailable'
  | 'ims_bad_response'
  | 'network_error'
  | 'timeout'
  | 'aborted'
  | 'partner_api_error';

/**
 * Base class of every error the SDK throws on purpose.
 *
 * @example
 * ```ts
 * if (err instanceof PimsError) console.error(`${err.code}: ${err.message}`);
 * ```
 */
export class PimsError extends Error {
  /** Stable machine-readable code. */
  readonly code: PimsErrorCode;

  constructor(code: PimsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Options or environment that can't work (bad URL, unknown environment, missing optional dependency).
 *
 * @example
 * ```ts
 * createPartnerClient({ environment: 'staging' as never, credentials }); // throws ConfigurationError
 * ```
 */
export class ConfigurationError extends PimsError {
  constructor(
    message: string,
    code: 'configuration_invalid' | 'proxy_unavailable' = 'configuration_invalid',
  ) {
    super(code, message);
  }
}

/**
 * One problem found in a credential source.
 *
 * @example
 * ```ts
 * for (const issue of credentialError.issues) console.error(`${issue.field}: ${issue.problem}`);
 * ```
 */
export interface CredentialIssue {
  /** The field as the source spells it, e.g. `PIMS_CLIENT_ID` or `project.org.ims_org_id`. */
  field: string;
  /** What is wrong with it, never its value. */
  problem: string;
}

/**
 * Missing or malformed credential fields, found before any network call. `field` names the first bad field and
 * `source` where it was read; `issues` lists them all.
 *
 * @example
 * ```ts
 * try { credentialsFromEnv({}); } catch (e) {
 *   if (e instanceof CredentialError) console.error(e.source, e.field); // "environment", "PIMS_CLIENT_ID"
 * }
 * ```
 */
export class CredentialError extends PimsError {
  readonly source: string;
  readonly field: string | undefined;
  readonly issues: readonly CredentialIssue[];

  constructor(
    source: string,
    issues: readonly CredentialIssue[],
    code: 'credential_invalid' | 'credential_not_found' | 'private_key_invalid' = 'credential_invalid',
  ) {
    const list = issues.map((issue) => `${issue.field} ${issue.problem}`).join('; ');
    super(code, `Invalid credentials from ${source}: ${list}`);
    this.source = source;
    this.field = issues[0]?.field;
    this.issues = issues;
  }
}

/**
 * Fields of an IMS error answer.
 *
 * @example
 * ```ts
 * const details: ImsErrorDetails = { status: 401, error: 'invalid_client', debugId: 'abc' };
 * ```
 */
export interface ImsErrorDetails {
  status: number;
  error?: string | undefined;
  errorDescription?: string | undefined;
  debugId?: string | undefined;
  requestId?: string | undefined;
  /** Milliseconds the IMS asked us to wait (`Retry-After`), when it said so. */
  retryAfterMs?: number | undefined;
}

/**
 * The IMS answered with an error (`ims_rejected` for 4xx, `ims_unavailable` for 5xx/429 after retries) or with a
 * success body that isn't one (`ims_bad_response`). Carries the IMS's `error`, `error_description` and debug ids.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ImsError) console.error(e.status, e.error, e.error_description, e.debugId); }
 * ```
 */
export class ImsError extends PimsError {
  readonly status: number;
  readonly error: string | undefined;
  // The IMS's own field name, kept as is so it reads like the wire format.
  readonly error_description: string | undefined;
  readonly debugId: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: 'ims_rejected' | 'ims_unavailable' | 'ims_bad_response',
    endpoint: string,
    details: ImsErrorDetails,
  ) {
    const what = [details.error, details.errorDescription && `(${details.errorDescription})`].filter(Boolean);
    const ids = [
      details.debugId && `x-debug-id ${details.debugId}`,
      details.requestId && `x-request-id ${details.requestId}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(
      code,
      `IMS ${endpoint} answered ${details.status}${what.length ? ` ${what.join(' ')}` : ''}${ids ? ` [${ids}]` : ''}`,
    );
    this.status = details.status;
    this.error = details.error;
    this.error_description = details.errorDescription;
    this.debugId = details.debugId;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * The request never got an HTTP answer (DNS, connection refused, reset, TLS).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NetworkError) console.error('unreachable:', e.message); }
 * ```
 */
export class NetworkError extends PimsError {
  constructor(message: string, cause?: unknown) {
    super('network_error', message, { cause });
  }
}

/**
 * An attempt took longer than its timeout.
 *
 * @example
 * ```ts
 * createPartnerClient({ environment: 'sandbox', credentials, timeoutMs: 2_000 });
 * ```
 */
export class TimeoutError extends PimsError {
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number) {
    super('timeout', message);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The caller's `AbortSignal` fired.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const pending = client.getAccessToken({ signal: controller.signal });
 * controller.abort(); // pending rejects with AbortedError
 * ```
 */
export class AbortedError extends PimsError {
  constructor(message = 'The operation was aborted by the caller', cause?: unknown) {
    super('aborted', message, { cause });
  }
}

/**
 * The Partner API answered with an error, in its `{code, message}` form.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PartnerApiError && e.apiCode === '4118') await backOff(e.retryAfterMs); }
 * ```
 */
export class PartnerApiError extends PimsError {
  readonly status: number;
  /** The Partner API's own code, e.g. `"4116"`. */
  readonly apiCode: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(details: {
    method: string;
    path: string;
    status: number;
    apiCode?: string | undefined;
    apiMessage?: string | undefined;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
  }) {
    const code = details.apiCode ? ` ${details.apiCode}` : '';
    const text = details.apiMessage ? ` ${details.apiMessage}` : '';
    const id = details.requestId ? ` [x-request-id ${details.requestId}]` : '';
    super(
      'partner_api_error',
      `${details.method} ${details.path} answered ${details.status}${code}${text}${id}`,
    );
    this.status = details.status;
    this.apiCode = details.apiCode;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}
