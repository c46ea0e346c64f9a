/**
 * Follows the IMS revocation feed (`GET {ims}/ims/revocations?since=<cursor>`) every `revocationPollMs`, so that a
 * revoked token, credential or org fails at this gateway within that bound (while the IMS answers). The cursor and the
 * live entries are persisted beside the key set, so a restart while the IMS is down forgets no revocation.
 */
import { join } from 'node:path';
import type { GatewayLogger, ResolvedGatewayOptions } from '../gateway-options.js';
import { readJsonFile, writeJsonAtomic } from '../keys/json-file.js';
import { RevocationList, type RevocationFeedItem } from './revocation-list.js';

export interface RevocationPoller {
  readonly list: RevocationList;
  /** Reads the feed until it is exhausted. Resolves false when the IMS could not be read. Single flight. */
  poll(): Promise<boolean>;
  start(): Promise<void>;
  /** Stops the timer and waits for a fetch (and its write) in progress. */
  stop(): Promise<void>;
}

export interface RevocationPollerDeps {
  options: Pick<
    ResolvedGatewayOptions,
    'imsUrl' | 'dataDir' | 'revocationPollMs' | 'imsTimeoutMs' | 'fetch' | 'clock'
  >;
  logger: GatewayLogger;
}

/** Pages larger than this are followed at once (the IMS pages by 1000). */
const MAX_PAGES_PER_POLL = 100;

function isFeedItem(value: unknown): value is RevocationFeedItem {
  const item = value as Partial<RevocationFeedItem> | null;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof item.seq === 'number' &&
    (item.kind === 'token' || item.kind === 'credential' || item.kind === 'org') &&
    typeof item.subject === 'string' &&
    typeof item.expires_at === 'number'
  );
}

export function createRevocationPoller({ options, logger }: RevocationPollerDeps): RevocationPoller {
  const list = new RevocationList();
  let cursor = 0;
  let inFlight: Promise<boolean> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const path =
    options.dataDir === undefined ? undefined : join(options.dataDir, 'gateway', 'ims-revocations.json');

  async function fetchPage(): Promise<{ items: RevocationFeedItem[]; cursor: number }> {
    const response = await options.fetch(`${options.imsUrl}/ims/revocations?since=${cursor}`, {
      signal: AbortSignal.timeout(options.imsTimeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const body = (await response.json()) as { revocations?: unknown; cursor?: unknown } | null;
    if (!Array.isArray(body?.revocations) || typeof body.cursor !== 'number')
      throw new Error('malformed feed');
    return { items: (body.revocations as unknown[]).filter(isFeedItem), cursor: body.cursor };
  }

  async function pollOnce(): Promise<boolean> {
    let changed = false;
    try {
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const next = await fetchPage();
        for (const item of next.items) list.add(item);
        changed ||= next.items.length > 0;
        if (next.cursor <= cursor || next.items.length === 0) break;
        cursor = next.cursor;
      }
    } catch (err) {
      logger.warn(
        { err: String(err) },
        'gateway: IMS revocation feed unavailable; keeping the known revocations',
      );
      return false;
    } finally {
      list.prune(options.clock.now());
      if (changed) await persist();
    }
    return true;
  }

  async function persist(): Promise<void> {
    if (path === undefined) return;
    try {
      await writeJsonAtomic(path, { cursor, revocations: list.toItems() });
    } catch (err) {
      logger.error({ err: String(err) }, 'gateway: could not persist the revocations');
    }
  }

  function poll(): Promise<boolean> {
    inFlight ??= pollOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    list,
    poll,
    async start() {
      if (path !== undefined) {
        const saved = (await readJsonFile(path)) as { cursor?: unknown; revocations?: unknown } | undefined;
        if (typeof saved?.cursor === 'number' && Array.isArray(saved.revocations)) {
          cursor = saved.cursor;
          for (const item of saved.revocations as unknown[]) if (isFeedItem(item)) list.add(item);
        }
      }
      await poll();
      timer = setInterval(() => void poll(), options.revocationPollMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
