import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { verifyLedgerFile } from '../../src/verify/ledger/verify-ledger.js';
import { createKit, LEDGER_ID } from '../ledger/kit.js';
import { editedCopyOf, trustedLedgerKey } from './fixture.js';

/**
 * A batch act's events are stored against the first of them (src/store/sqlite-shared-text.ts): the
 * whole-ledger verifier must read exactly the bytes the ledger wrote, and an edit of the one row
 * they share must fail every event that shares it.
 */
const CARRIERS = 30;
let dir: string;
let template: string;
let trust: { trustedLedgerKeys: ReturnType<typeof trustedLedgerKey>[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-shared-rows-'));
  template = join(dir, 'ledger.db');
  const store = createSqliteStore({ path: template });
  const kit = await createKit(store);
  await kit.enrolCast();
  const ids = Array.from({ length: CARRIERS }, (_, i) => `B${i}`);
  for (const id of ids) await kit.register(id);
  await kit.perform({ type: 'TakeInventory', data: { inventoryId: 'INV-1', location: 'R1/safe-1', sighted: ids, notSighted: [], takenBy: ['clerk1', 'clerk2'] } });
  const ledgerKey = { ledgerId: LEDGER_ID, ...generateKeyPair() };
  await (await createCheckpointer({ store, ledgerKey, clock: kit.clock })).checkpoint();
  trust = { trustedLedgerKeys: [trustedLedgerKey(ledgerKey)] };
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const copyEditedWith = (sql?: (db: Database.Database) => void): string => editedCopyOf(template, sql);

const inventoryRows = (db: Database.Database) =>
  db.prepare("SELECT position, shared_with FROM events WHERE type = 'InventoryTaken' ORDER BY position").all() as Array<{ position: number; shared_with: number | null }>;

describe('a ledger file whose batch act is stored once', () => {
  it('stores the inventory whole once and the other events against it, and verifies', async () => {
    const db = new Database(template, { readonly: true });
    const rows = inventoryRows(db);
    db.close();
    expect(rows).toHaveLength(CARRIERS);
    expect(rows.filter((r) => r.shared_with === null)).toEqual([rows[0]]);
    expect(new Set(rows.slice(1).map((r) => r.shared_with))).toEqual(new Set([rows[0]!.position]));
    const report = await verifyLedgerFile(template, { ...trust, workers: 1, chunkSize: 7 });
    expect(report.issues).toEqual([]);
    expect(report.summary.events).toBeGreaterThan(CARRIERS * 2);
  });

  it('an edit of the shared row fails every event of the act, each named', async () => {
    const path = copyEditedWith((db) => {
      const [base] = inventoryRows(db);
      db.prepare("UPDATE events SET data = replace(data, '\"INV-1\"', '\"INV-9\"') WHERE position = ?").run(base!.position);
    });
    const report = await verifyLedgerFile(path, { ...trust, workers: 1, chunkSize: 7 });
    const failed = new Set(report.issues.filter((i) => i.code === 'bad-signature').map((i) => i.stream));
    expect(failed.size).toBe(CARRIERS);
    expect(report.ok).toBe(false);
  });

  it('an edit of one shared row fails that event only; a deleted base fails those stored against it', async () => {
    const edited = copyEditedWith((db) => {
      const rows = inventoryRows(db);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run('7', rows[5]!.position);
    });
    const issues = (await verifyLedgerFile(edited, { ...trust, workers: 1, chunkSize: 7 })).issues;
    // The event's own issues, then the tree rebuilt from its recomputed hash against the checkpoint.
    expect(new Set(issues.filter((i) => i.stream !== undefined).map((i) => i.stream))).toEqual(new Set(['carrier-B5']));
    expect(issues.filter((i) => i.stream === undefined).map((i) => i.code)).toEqual(['root-mismatch', 'heads-mismatch']);

    const deleted = copyEditedWith((db) => {
      const [base] = inventoryRows(db);
      db.prepare('DELETE FROM events WHERE position = ?').run(base!.position);
    });
    const report = await verifyLedgerFile(deleted, { ...trust, workers: 1, chunkSize: 7 });
    const malformed = report.issues.filter((i) => i.code === 'malformed-event');
    expect(malformed).toHaveLength(CARRIERS - 1);
    expect(malformed[0]!.message).toMatch(/not JSON/);
  });
});
