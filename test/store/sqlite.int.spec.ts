import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, StoreIntegrityError, type AppendRequest, type JsonObject, type NewEvent } from '../../src/store/port.js';
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
    foreign.pragma('user_version = 3');
    foreign.close();
    expect(() => createSqliteStore({ path })).toThrow(StoreIntegrityError);
    expect(() => createSqliteStore({ path })).toThrow(/schema version 3, newer than the 2 this build knows/);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    check.close();
  });

  /** One append of `count` streams whose events differ only in `index`, like the events of one batch act. */
  const batch = (count: number, act: JsonObject): AppendRequest[] =>
    Array.from({ length: count }, (_, index) => ({
      stream: `carrier-B${index}`,
      expected: 'no-stream' as const,
      events: [{ eventId: randomUUID(), type: 'InventoryTaken', data: { act, index, signatures: [{ signer: 'clerk1', signature: 'x'.repeat(86) }] } }],
    }));
  const bigAct = (carriers: number): JsonObject => ({ command: { type: 'TakeInventory' }, events: Array.from({ length: carriers }, (_, i) => ({ stream: `carrier-B${i}`, note: '\u{1F4C4} sighted' })) });

  it('stores the events of one append that differ only a little against the first, and reads them back exactly', async () => {
    const store = createSqliteStore({ path });
    const requests = batch(60, bigAct(60));
    await store.appendMany(requests);
    const read = await store.readAll();
    expect(read.map((e) => e.data)).toEqual(requests.map((r) => r.events[0]!.data));
    expect((await store.readStream('carrier-B42'))[0]!.data).toEqual(requests[42]!.events[0]!.data);
    // A retry of the same append is recognised as already stored, shared rows included.
    expect((await store.appendMany(requests)).map((r) => r.position)).toEqual(read.map((e) => e.position));
    await store.close();

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT shared_with, length(data) AS bytes FROM events ORDER BY position').all() as Array<{ shared_with: number | null; bytes: number }>;
    db.close();
    expect(rows.filter((r) => r.shared_with === null)).toHaveLength(1);
    const whole = rows[0]!.bytes;
    expect(whole).toBeGreaterThan(2_500);
    expect(Math.max(...rows.slice(1).map((r) => r.bytes))).toBeLessThan(10);
  });

  it('keeps small events, and events of different appends, whole', async () => {
    const store = createSqliteStore({ path });
    await store.appendMany(batch(3, { command: 'small' }));
    await store.appendMany(batch(1, bigAct(60)).map((r) => ({ ...r, stream: 'carrier-other' })));
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM events WHERE shared_with IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });

  it('opens a version 1 file, adds the columns and reads its rows as they were, nothing rewritten', async () => {
    const old = new Database(path);
    old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
    old.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)').run('carrier-C1', randomUUID(), 'CarrierRegistered', '{"note":"from version 1"}', '{}');
    old.pragma('user_version = 1');
    old.close();
    const store = createSqliteStore({ path });
    expect((await store.readAll()).map((e) => e.data)).toEqual([{ note: 'from version 1' }]);
    await store.appendMany(batch(40, bigAct(40)));
    expect(await store.headPosition()).toBe(41n);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });

  it('refuses to read an event whose base row was deleted by hand, naming the position', async () => {
    const store = createSqliteStore({ path });
    await store.appendMany(batch(5, bigAct(60)));
    await store.close();
    const db = new Database(path);
    db.prepare('DELETE FROM events WHERE position = 1').run();
    db.close();
    const reopened = createSqliteStore({ path });
    await expect(reopened.readAll()).rejects.toThrow(/stored against position 1, which holds no event/);
    await reopened.close();
  });
});
