import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.js';

/**
 * Fault 2 of issue #18 at start: a ledger file the server's account may not write. SQLite then opens
 * it read-only without a word, so every append would fail; the store must say so (not ready,
 * 'read-only') and refuse appends as 503-worthy StoreUnavailable, naming the file. Root writes
 * anything, so as root the probe runs as the unprivileged user `nobody` (uid 65534).
 */

const root = resolve(import.meta.dirname, '..', '..');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-read-only-'));
  db = join(dir, 'custody.db');
  const store = createSqliteStore({ path: db });
  await store.append({ stream: 'carrier-C1', expected: 'no-stream', events: [{ eventId: '5f0c1f9e-0000-4000-8000-000000000001', type: 'Noted', data: { n: 1 } }] });
  await store.close();
  chmodSync(db, 0o444);
  // The directory stays open to all: SQLite may still create the -shm it needs to read.
  chmodSync(dir, 0o777);
  writeFileSync(
    join(dir, 'probe.mts'),
    `import { createSqliteStore } from ${JSON.stringify(join(root, 'src', 'store', 'sqlite.ts'))};
const store = createSqliteStore({ path: process.argv[2] });
const outcome = async (work) => { try { await work(); return 'ok'; } catch (e) { return { name: e.name, reason: e.reason, message: e.message }; } };
const result = {
  head: String(await store.headPosition()),
  appendable: await outcome(() => store.appendable()),
  append: await outcome(() => store.append({ stream: 'carrier-C2', expected: 'no-stream', events: [{ eventId: '5f0c1f9e-0000-4000-8000-000000000002', type: 'Noted', data: { n: 2 } }] })),
};
await store.close();
console.log(JSON.stringify(result));`,
  );
  chmodSync(join(dir, 'probe.mts'), 0o644);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a ledger file the server may not write', () => {
  it('is read, but is not appendable (read-only), and an append is refused as StoreUnavailable naming the file', async () => {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(dir, 'probe.mts'), db], {
      cwd: root,
      env: { ...process.env, HOME: dir, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
      ...asNobody,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.head).toBe('1');
    expect(result.appendable).toMatchObject({ name: 'StoreUnavailable', reason: 'read-only', message: expect.stringContaining(db) });
    expect(result.append).toMatchObject({ name: 'StoreUnavailable', reason: 'read-only', message: expect.stringContaining(db) });
  });
});
