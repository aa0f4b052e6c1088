import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, StoreIntegrityError, type AppendRequest, type NewEvent } from '../../src/store/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { storeContract } from './contract.js';

const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: 'CarrierRegistered', data: { note: 'x' } });
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const makeTempDir = () => mkdtemp(join(tmpdir(), 'custody-ledger-store-'));

storeContract('sqlite', async () => {
  const dir = await makeTempDir();
  const store = createSqliteStore({ path: join(dir, 'events.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite event store', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir, 'events.db');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty, with head position 0n and nothing to read', async () => {
    const store = createSqliteStore({ path });
    expect(await store.headPosition()).toBe(0n);
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });

  it('applies appends made in the same tick in call order, so a later one sees an earlier one', async () => {
    const store = createSqliteStore({ path });
    const outcomes = await Promise.allSettled([
      store.append({ stream: 's', expected: 'no-stream', events: [newEvent()] }),
      store.append({ stream: 's', expected: 0n, events: [newEvent()] }),
      store.append({ stream: 's', expected: 0n, events: [newEvent()] }),
      store.append({ stream: 's', expected: 1n, events: [newEvent()] }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new ConcurrencyError('s', 0n, 1n));
    expect((await store.readStream('s')).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    await store.close();
  });

  it('commits appends still queued when it is closed', async () => {
    const store = createSqliteStore({ path });
    const appending = store.append({ stream: 's', expected: 'no-stream', events: [newEvent()] });
    await store.close();
    await expect(appending).resolves.toEqual({ nextExpectedRevision: 0n, position: 1n });
    const reopened = createSqliteStore({ path });
    expect(await reopened.readStream('s')).toHaveLength(1);
    await reopened.close();
  });

  it('sees the same events after reopening the file, and positions continue from there', async () => {
    const first = createSqliteStore({ path });
    const requests = Array.from({ length: 50 }, (_, i): AppendRequest => ({ stream: `s-${i}`, expected: 'no-stream', events: [newEvent()] }));
    await Promise.all(requests.map((request) => first.append(request)));
    const before = await first.readAll();
    await first.close();

    const second = createSqliteStore({ path });
    expect(await second.readAll()).toEqual(before);
    expect(await second.headPosition()).toBe(50n);
    const next = await second.append({ stream: 's-0', expected: 0n, events: [newEvent()] });
    expect(next).toEqual({ nextExpectedRevision: 1n, position: 51n });
    expect(await second.append(requests[7]!)).toEqual({ nextExpectedRevision: 0n, position: 8n }); // retry across restarts
    await second.close();
  });

  it('keeps every append that resolved when the process is killed without closing the store', async () => {
    const writer = join(dir, 'writer.mts');
    await writeFile(
      writer,
      `import { randomUUID } from 'node:crypto';
       import { createSqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite.ts', import.meta.url).href)};
       const store = createSqliteStore({ path: process.argv[2] });
       async function write(w) {
         for (let i = 0; ; i++) {
           const eventId = randomUUID();
           await store.append({ stream: 'w' + w + '-' + i, expected: 'no-stream', events: [{ eventId, type: 'T', data: { i } }] });
           process.stdout.write(eventId + '\\n');
         }
       }
       for (let w = 0; w < 8; w++) void write(w);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.split('\n').length > 400) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    const resolved = output.split('\n').slice(0, -1); // the last piece may be a torn line

    const store = createSqliteStore({ path });
    const stored = new Set((await store.readAll()).map((event) => event.eventId));
    expect(resolved.length).toBeGreaterThanOrEqual(400);
    expect(resolved.filter((eventId) => !stored.has(eventId))).toEqual([]);
    await store.append({ stream: 'after-crash', expected: 'no-stream', events: [newEvent()] });
    await store.close();
  });

  it('refuses a file with a newer schema version, with a clear error, and leaves it untouched', async () => {
    const foreign = new Database(path);
    foreign.pragma('user_version = 2');
    foreign.close();
    expect(() => createSqliteStore({ path })).toThrow(StoreIntegrityError);
    expect(() => createSqliteStore({ path })).toThrow(/schema version 2, newer than the 1 this build knows/);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});
