/**
 * Follows the IMS revocation feed (`GET {ims}/ims/revocations?since=<seq>`) every `revocationPollMs`, so that a
 * revoked token, credential or org fails at this gateway within that bound (while the IMS answers). The cursor and the
 * live entries are persisted beside the key set, so a restart while the IMS is down forgets no revocation.
 *
 * Each poll starts `revocationOverlap` sequence numbers below the cursor (decision 0003). On PostgreSQL a revocation's
 * `seq` is taken at insert but the row shows at commit, so one committed late can appear below a cursor already past
 * it; reading that window again catches it. Items read again change nothing (`RevocationList.add` only widens), the
 * cursor never moves back, and the file is rewritten only when the state changed, so the overlap costs one request's
 * worth of at most `revocationOverlap` entries per poll and nothing more.
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
    'imsUrl' | 'dataDir' | 'revocationPollMs' | 'revocationOverlap' | 'imsTimeoutMs' | 'fetch' | 'clock'
  >;
  logger: GatewayLogger;
}

/**
 * Entries asked for per request: the IMS's largest page. The IMS fills a page while entries remain, so a shorter page
 * is the end of the feed — and with an overlap of at most one page, a quiet poll is a single request.
 */
const FEED_PAGE = 1000;

/** Pages one poll follows at most; the rest waits for the next poll. */
const MAX_PAGES_PER_POLL = 100;

interface FeedPage {
  items: RevocationFeedItem[];
  cursor: number;
  /** The page holds as many entries as asked for: more may follow. */
  full: boolean;
}

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
  /** The state changed since it was last written (a failed write is tried again after the next poll). */
  let unsaved = false;
  let inFlight: Promise<boolean> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const path =
    options.dataDir === undefined ? undefined : join(options.dataDir, 'gateway', 'ims-revocations.json');

  async function fetchPage(since: number): Promise<FeedPage> {
    const response = await options.fetch(
      `${options.imsUrl}/ims/revocations?since=${since}&limit=${FEED_PAGE}`,
      { signal: AbortSignal.timeout(options.imsTimeoutMs), headers: { accept: 'application/json' } },
    );
    if (!response.ok) throw new Error(`status ${response.status}`);
    const body = (await response.json()) as { revocations?: unknown; cursor?: unknown } | null;
    if (!Array.isArray(body?.revocations) || typeof body.cursor !== 'number')
      throw new Error('malformed feed');
    const raw = body.revocations as unknown[];
    return { items: raw.filter(isFeedItem), cursor: body.cursor, full: raw.length >= FEED_PAGE };
  }

  async function pollOnce(): Promise<boolean> {
    const now = options.clock.now();
    try {
      let since = Math.max(0, cursor - options.revocationOverlap);
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const next = await fetchPage(since);
        // Expired items are skipped: added, they would be pruned below and "learnt" again on every poll.
        for (const item of next.items) if (item.expires_at > now && list.add(item)) unsaved = true;
        if (next.cursor > cursor) {
          cursor = next.cursor;
          unsaved = true;
        }
        if (!next.full || next.cursor <= since) break;
        since = next.cursor;
      }
    } catch (err) {
      logger.warn(
        { err: String(err) },
        'gateway: IMS revocation feed unavailable; keeping the known revocations',
      );
      return false;
    } finally {
      if (list.prune(now) > 0) unsaved = true;
      if (unsaved) await persist();
    }
    return true;
  }

  async function persist(): Promise<void> {
    if (path === undefined) return;
    try {
      await writeJsonAtomic(path, { cursor, revocations: list.toItems() });
      unsaved = false;
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
