import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { EventStore } from '../../src/store/port.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { CHECKPOINT_STREAM } from '../../src/verify/checkpoint/stream.js';
import { buildOffice, type Office } from './fixture.js';
import { run } from '../cli/harness.js';

// Issue 16 hole 4 (before signing): an event row edited in SQL was served and covered by the next checkpoint.
let dir: string;
let path: string;
let store: EventStore;
let office: Office;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-presign-'));
  path = join(dir, 'ledger.db');
  store = createSqliteStore({ path });
  office = await buildOffice(store);
  await office.checkpointer.checkpoint();
  await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'reader1')));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Edits the newest carrier-C1 event in place, as someone with the database file could. */
function editNewest(sql: (position: number) => string): void {
  const db = new Database(path);
  const position = db.prepare("SELECT MAX(position) FROM events WHERE stream = 'carrier-C1'").pluck().get() as number;
  db.exec(sql(position));
  db.close();
}

const freshCheckpointer = () => createCheckpointer({ store, ledgerKey: office.ledgerKey, clock: office.kit.clock });

describe('before signing, the events a checkpoint newly covers are checked', () => {
  it('an event whose content was edited (stored hash left alone) is refused by name, and nothing is signed', async () => {
    editNewest((p) => `UPDATE events SET data = replace(data, '"receiver":"reader1"', '"receiver":"reader2"') WHERE position = ${p}`);
    const before = (await store.readStream(CHECKPOINT_STREAM)).length;
    await expect((await freshCheckpointer()).checkpoint()).rejects.toMatchObject({
      name: 'CheckpointRefused',
      reason: 'tampered-event',
      message: expect.stringMatching(/carrier-C1@\d+ \(position \d+\): its content does not have the hash stored with it/),
    });
    expect((await store.readStream(CHECKPOINT_STREAM)).length).toBe(before);
  });

  it('an event whose signature byte was changed is refused by name', async () => {
    editNewest((p) => `UPDATE events SET data = json_set(data, '$.signatures[0].signature', 'AAAA' || substr(json_extract(data, '$.signatures[0].signature'), 5)) WHERE position = ${p}`);
    await expect((await freshCheckpointer()).checkpoint()).rejects.toMatchObject({ reason: 'tampered-event', message: expect.stringMatching(/carrier-C1@\d+ .*(signature|hash)/) });
  });

  it('untouched events are signed as before', async () => {
    expect((await (await freshCheckpointer()).checkpoint()).checkpoint.size).toBeGreaterThan(0);
  });
});

describe('custody audit --db', () => {
  it('passes an untouched file and names every edited event, exit 1', async () => {
    const clean = await run(['audit', '--db', 'ledger.db'], { cwd: dir });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^AUDITED: .*ledger\.db: \d+ events, every stored hash and signature checks out/m);
    editNewest((p) => `UPDATE events SET data = replace(data, '"receiver":"reader1"', '"receiver":"reader2"') WHERE position = ${p}`);
    const edited = await run(['audit', '--db', 'ledger.db'], { cwd: dir });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/^FAIL {2}tampered-event carrier-C1@\d+ \(position \d+\): its content does not have the hash stored with it$/m);
    expect(edited.stdout).toMatch(/^NOT AUDITED: .*: 1 of \d+ events changed since they were appended/m);
  });
});
