/**
 * Helpers for the key-ring and token tests: a fake clock, a recording logger, and real storage (SQLite in a temp
 * directory; PostgreSQL in a fresh schema when `PIMS_TEST_POSTGRES_URL` is set). Not exported from the package.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase } from '../storage/create-database.js';
import { createStorage, type OpenedStorage } from '../storage/create-storage.js';

/** A key-encryption key for tests. */
export const TEST_KEK = Buffer.alloc(32, 7);
export const OTHER_KEK = Buffer.alloc(32, 8);

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

export const testConfig = Object.freeze({
  imsUrl: 'https://ims.example.test',
  imsName: 'ims-test1',
  accessTokenLifetime: 86_400,
  clockSkew: 30,
});

export interface FakeClock {
  (): number;
  advance(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let now = start;
  const clock = (() => now) as FakeClock;
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export interface RecordingLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  readonly lines: Array<{ level: 'info' | 'warn' | 'error'; obj: object; msg: string | undefined }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  return {
    lines,
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
  };
}

export interface TestDatabase {
  readonly label: string;
  /** Opens another connection (pool) to the same database, as another instance would. */
  open(): Promise<OpenedStorage>;
  /** Closes every storage opened here and removes the database. */
  cleanup(): Promise<void>;
}

/** A fresh SQLite file in a temp directory. */
export function sqliteTestDatabase(): TestDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), 'pims-keys-test-'));
  const opened: OpenedStorage[] = [];
  return {
    label: 'sqlite',
    async open() {
      const storage = await createStorage({ url: `sqlite:${join(dataDir, 'pims.db')}`, dataDir });
      opened.push(storage);
      return storage;
    },
    async cleanup() {
      await Promise.all(opened.map((storage) => storage.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema in the PostgreSQL database of `PIMS_TEST_POSTGRES_URL`, or undefined when it is not set. */
export function postgresTestDatabase(): TestDatabase | undefined {
  const url = process.env.PIMS_TEST_POSTGRES_URL;
  if (url === undefined || url === '') return undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'pims-keys-pg-test-'));
  const schema = `pims_test_keys_${process.pid}_${randomBytes(4).toString('hex')}`;
  const opened: OpenedStorage[] = [];
  return {
    label: 'postgres',
    async open() {
      const storage = await createStorage({ url, dataDir, schema });
      opened.push(storage);
      return storage;
    },
    async cleanup() {
      await Promise.all(opened.map((storage) => storage.close()));
      const db = createDatabase({ url, dataDir });
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      } finally {
        await db.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
