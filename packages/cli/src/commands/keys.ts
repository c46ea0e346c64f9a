/**
 * `pims keys generate`: a partner's RSA key pair and self-signed X.509 certificate, to upload the certificate to a JWT
 * credential (the Developer Console's "generate a key pair", done locally so the private key never leaves the
 * machine). The certificate comes from `@pims/core/crypto`, the same code the IMS uses, which loads no storage.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPairWithCertificate } from '@pims/core/crypto';
import { UsageError, processIo, type CliIo } from './credentials.js';

/** The file names the Developer Console uses in its download. */
export const PRIVATE_KEY_FILE = 'private.key';
export const CERTIFICATE_FILE = 'certificate_pub.crt';

export interface KeysGenerateOptions {
  /** Directory to write into (created if missing); default the current one. */
  out?: string | undefined;
  /** Validity in days, 1–3650; default 365. */
  days?: number | undefined;
  /** RSA modulus: 2048 (default), 3072 or 4096. */
  bits?: number | undefined;
  /** Subject common name; default `pims partner`. */
  commonName?: string | undefined;
  /** Overwrite existing files. */
  force?: boolean | undefined;
  json?: boolean | undefined;
  /** Milliseconds since the epoch (tests); default now. */
  now?: number | undefined;
}

export interface GeneratedKeyPair {
  privateKeyPem: string;
  certificatePem: string;
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * An RSA key pair and a self-signed certificate (`CN=commonName`, valid from a minute before `now` for `days` days,
 * `basicConstraints cA:false`, SHA-256 with RSA).
 *
 * @example
 * const { privateKeyPem, certificatePem } = await generateCertificateKeyPair({ commonName: 'acme', days: 365, bits: 2048, now: Date.now() });
 */
export async function generateCertificateKeyPair(options: {
  commonName: string;
  days: number;
  bits: number;
  now: number;
}): Promise<GeneratedKeyPair> {
  const pair = await generateKeyPairWithCertificate({
    commonName: options.commonName,
    now: options.now,
    validityDays: options.days,
    modulusLength: options.bits,
  });
  return {
    privateKeyPem: pair.privateKeyPem,
    certificatePem: pair.certificatePem,
    fingerprintSha256: pair.fingerprintSha256,
    notBefore: new Date(pair.notBefore),
    notAfter: new Date(pair.notAfter),
  };
}

function checkOptions(options: KeysGenerateOptions): { days: number; bits: number } {
  const days = options.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new UsageError('--days must be a whole number from 1 to 3650');
  const bits = options.bits ?? 2048;
  if (![2048, 3072, 4096].includes(bits)) throw new UsageError('--bits must be 2048, 3072 or 4096');
  return { days, bits };
}

/**
 * Writes `private.key` (PKCS#8 PEM, mode 0600) and `certificate_pub.crt` (X.509 PEM) into `--out`, refusing to
 * overwrite either unless `--force`. Prints the paths, the SHA-256 fingerprint and the validity on stdout (or JSON).
 *
 * @example
 * // $ pims keys generate --out ./keys --days 365
 * await keysGenerateCommand({ out: './keys', days: 365 });
 */
export async function keysGenerateCommand(
  options: KeysGenerateOptions,
  io: CliIo = processIo(),
): Promise<void> {
  const { days, bits } = checkOptions(options);
  const dir = resolve(options.out ?? '.');
  const keyPath = join(dir, PRIVATE_KEY_FILE);
  const certificatePath = join(dir, CERTIFICATE_FILE);
  const existing = [keyPath, certificatePath].filter((path) => existsSync(path));
  if (existing.length > 0 && !options.force) {
    throw new UsageError(
      `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: pass --force to overwrite`,
    );
  }
  io.err(`generating an RSA-${bits} key and a self-signed certificate valid for ${days} days…\n`);
  const pair = await generateCertificateKeyPair({
    commonName: options.commonName ?? 'pims partner',
    days,
    bits,
    now: options.now ?? Date.now(),
  });
  mkdirSync(dir, { recursive: true });
  // `mode` applies only when the file is created; chmod covers an overwritten one.
  writeFileSync(keyPath, pair.privateKeyPem, { mode: 0o600, flag: options.force ? 'w' : 'wx' });
  chmodSync(keyPath, 0o600);
  writeFileSync(certificatePath, pair.certificatePem, { mode: 0o644, flag: options.force ? 'w' : 'wx' });
  const result = {
    private_key: keyPath,
    certificate: certificatePath,
    fingerprint_sha256: pair.fingerprintSha256,
    not_before: pair.notBefore.toISOString(),
    not_after: pair.notAfter.toISOString(),
    bits,
  };
  if (options.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.out(
      [
        `private key   ${keyPath} (mode 0600: keep it secret)`,
        `certificate   ${certificatePath}`,
        `fingerprint   sha256:${pair.fingerprintSha256}`,
        `valid         ${result.not_before} → ${result.not_after}`,
      ].join('\n') + '\n',
    );
  }
  io.err(
    `next: upload ${CERTIFICATE_FILE} to the credential in the Developer Console; use ${PRIVATE_KEY_FILE} with --private-key\n`,
  );
}
