/**
 * CUSTODY_STORE, CUSTODY_DB and EVENTSTORE_URL: which store a process opens, and clear errors for
 * values that cannot work.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStoreFromEnv, DEFAULT_SQLITE_PATH, describeStoreConfig, parseStoreConfig, StoreConfigError } from '../../src/store/from-env.js';

describe('store configuration from the environment', () => {
  it('defaults to SQLite at ./data/custody.db', () => {
    expect(parseStoreConfig({})).toEqual({ kind: 'sqlite', path: DEFAULT_SQLITE_PATH });
    expect(DEFAULT_SQLITE_PATH).toBe('./data/custody.db');
    expect(parseStoreConfig({ CUSTODY_STORE: 'sqlite', CUSTODY_DB: '/var/lib/custody/ledger.db' })).toEqual({ kind: 'sqlite', path: '/var/lib/custody/ledger.db' });
  });

  it('takes EventStoreDB single-node and gossip connection strings', () => {
    for (const url of ['esdb://localhost:2113?tls=false', 'esdb+discover://n1:2113,n2:2113,n3:2113?tls=false&nodePreference=leader']) {
      expect(parseStoreConfig({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: url })).toEqual({ kind: 'eventstoredb', connectionString: url });
    }
  });

  it('names the variable and the accepted values when CUSTODY_STORE is unknown', () => {
    const error = (() => {
      try {
        parseStoreConfig({ CUSTODY_STORE: 'postgres' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StoreConfigError);
    expect(error).toMatchObject({ variable: 'CUSTODY_STORE', message: 'CUSTODY_STORE: must be sqlite or eventstoredb, got "postgres"' });
  });

  it('requires EVENTSTORE_URL for eventstoredb and refuses URLs the client cannot use', () => {
    expect(() => parseStoreConfig({ CUSTODY_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_URL: is required when CUSTODY_STORE=eventstoredb/);
    expect(() => parseStoreConfig({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'http://localhost:2113' })).toThrow(/must start with esdb:\/\//);
    expect(() => parseStoreConfig({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://?tls=false' })).toThrow(/names no host/);
    expect(() => createStoreFromEnv({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=maybe' })).toThrow(
      /EVENTSTORE_URL: is not a valid connection string/,
    );
  });

  it('describes the configuration for logs without the credentials in the URL', () => {
    const config = parseStoreConfig({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://admin:changeit@db:2113?tls=true' });
    expect(describeStoreConfig(config)).toBe('eventstoredb esdb://db:2113?tls=true');
    expect(describeStoreConfig({ kind: 'sqlite', path: './data/custody.db' })).toBe('sqlite ./data/custody.db');
  });

  it('opens a working SQLite store, creating its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custody-from-env-'));
    try {
      const store = createStoreFromEnv({ CUSTODY_DB: join(dir, 'nested', 'custody.db') });
      expect(await store.headPosition()).toBe(0n);
      await store.close();
      expect((await stat(join(dir, 'nested', 'custody.db'))).isFile()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens the EventStoreDB adapter, which connects only when first used (so it closes without a server)', async () => {
    const store = createStoreFromEnv({ CUSTODY_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' });
    expect('completePendingBatches' in store).toBe(true);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
