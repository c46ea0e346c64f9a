import type { Kysely, Selectable } from 'kysely';
import type { CertificatesTable, Database } from '../../storage/schema.js';
import type { Certificate } from '../records.js';
import type { CertificateStore } from '../stores.js';
import { affected, num, numOrNull } from './rows.js';

function toCertificate(row: Selectable<CertificatesTable>): Certificate {
  return {
    id: row.id,
    orgId: row.org_id,
    credentialId: row.credential_id,
    pem: row.pem,
    fingerprintSha256: row.fingerprint_sha256,
    notBefore: num(row.not_before),
    notAfter: num(row.not_after),
    status: row.status,
    createdAt: num(row.created_at),
    revokedAt: numOrNull(row.revoked_at),
  };
}

export function createCertificateStore(db: Kysely<Database>): CertificateStore {
  return {
    async insertCertificate(orgId, certificate) {
      const row = await db
        .insertInto('certificates')
        .values({
          id: certificate.id,
          org_id: orgId,
          credential_id: certificate.credentialId,
          pem: certificate.pem,
          fingerprint_sha256: certificate.fingerprintSha256,
          not_before: certificate.notBefore,
          not_after: certificate.notAfter,
          status: certificate.status,
          created_at: certificate.createdAt,
          revoked_at: certificate.revokedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCertificate(row);
    },

    async findCertificateById(orgId, certificateId) {
      const row = await db
        .selectFrom('certificates')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', certificateId)
        .executeTakeFirst();
      return row && toCertificate(row);
    },

    async listCertificates(orgId, credentialId, options = {}) {
      let query = db
        .selectFrom('certificates')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('credential_id', '=', credentialId);
      if (options.status !== undefined) query = query.where('status', '=', options.status);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(toCertificate);
    },

    async revokeCertificateById(orgId, certificateId, now) {
      const result = await db
        .updateTable('certificates')
        .set({ status: 'revoked', revoked_at: now })
        .where('org_id', '=', orgId)
        .where('id', '=', certificateId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return affected(result) > 0;
    },
  };
}
