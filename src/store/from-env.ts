/**
 * The event store a process runs on, chosen by its environment:
 *
 *   CUSTODY_STORE   sqlite (default) | eventstoredb
 *   CUSTODY_DB      the SQLite file, default ./data/custody.db (its directory is created)
 *   EVENTSTORE_URL  required with eventstoredb: esdb://localhost:2113?tls=false for one node,
 *                   esdb+discover://node1:2113,node2:2113,node3:2113?tls=false for a cluster (gossip)
 *
 * A bad value is refused with a StoreConfigError naming the variable; the URL, which may carry
 * credentials, is never repeated in an error or a description.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createEventStoreDbStore } from './eventstoredb.js';
import type { EventStore } from './port.js';
import { createSqliteStore } from './sqlite.js';

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'eventstoredb'; connectionString: string };

export const DEFAULT_SQLITE_PATH = './data/custody.db';

export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and checks the configuration, without opening anything. */
export function parseStoreConfig(env: Env): StoreConfig {
  const kind = (env.CUSTODY_STORE ?? '').trim() || 'sqlite';
  if (kind === 'sqlite') return { kind, path: (env.CUSTODY_DB ?? '').trim() || DEFAULT_SQLITE_PATH };
  if (kind !== 'eventstoredb') {
    throw new StoreConfigError('CUSTODY_STORE', `must be sqlite or eventstoredb, got ${JSON.stringify(kind)}`);
  }
  const url = (env.EVENTSTORE_URL ?? '').trim();
  if (url === '') {
    throw new StoreConfigError('EVENTSTORE_URL', 'is required when CUSTODY_STORE=eventstoredb, e.g. esdb://localhost:2113?tls=false');
  }
  const scheme = /^([a-z+]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'esdb' && scheme !== 'esdb+discover') {
    throw new StoreConfigError('EVENTSTORE_URL', 'must start with esdb:// (one node) or esdb+discover:// (a cluster, by gossip)');
  }
  const hosts = url.slice(scheme.length + 3).split(/[/?]/)[0] ?? '';
  if (hosts.replace(/^[^@]*@/, '') === '') throw new StoreConfigError('EVENTSTORE_URL', 'names no host, e.g. esdb://localhost:2113?tls=false');
  return { kind, connectionString: url };
}

/** A description for logs: the store and where it is, with any credentials left out. */
export function describeStoreConfig(config: StoreConfig): string {
  if (config.kind === 'sqlite') return `sqlite ${config.path}`;
  const withoutCredentials = config.connectionString.replace(/^([a-z+]+:\/\/)[^@/?]*@/i, '$1');
  return `eventstoredb ${withoutCredentials}`;
}

/** Opens the configured store. The caller closes it. */
export function createStoreFromEnv(env: Env = process.env): EventStore {
  const config = parseStoreConfig(env);
  if (config.kind === 'eventstoredb') {
    try {
      return createEventStoreDbStore({ connectionString: config.connectionString });
    } catch (error) {
      // The client's parse errors quote only the offending token and its position, never the whole URL.
      throw new StoreConfigError('EVENTSTORE_URL', `is not a valid connection string: ${(error as Error).message}`);
    }
  }
  mkdirSync(dirname(config.path), { recursive: true });
  return createSqliteStore({ path: config.path });
}
