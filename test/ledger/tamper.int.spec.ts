import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/crypto/ed25519.js';
import { directoryKeys } from '../../src/ledger/signatures.js';
import { verifyStream } from '../../src/ledger/verify-stream.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createKit } from './kit.js';

/** L-3: every way of editing the file shows up at exactly the event that was touched. */
describe('tampering with a stored stream in the SQLite file', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'custody-tamper-'));
    path = join(dir, 'ledger.db');
    const store = createSqliteStore({ path });
    const kit = await createKit(store);
    await kit.enrolCast();
    await kit.register('C1');
    for (const [giver, receiver] of [['clerk1', 'reader1'], ['reader1', 'reader2'], ['reader2', 'clerk2']] as const) {
      await kit.ledger.submit(kit.signed(kit.transfer('C1', giver, receiver)));
    }
    await store.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads the file back through a fresh store and verifies C1's stream against the file's own persons. */
  async function verifyC1() {
    const store = createSqliteStore({ path });
    try {
      const kit = await createKit(store);
      const events = await store.readStream('carrier-C1');
      return verifyStream(events, directoryKeys(kit.ledger.model.persons), createVerifier());
    } finally {
      await store.close();
    }
  }

  function edit(sql: (db: Database.Database) => void) {
    const db = new Database(path);
    sql(db);
    db.close();
  }

  it('an untouched stream verifies with no issues', async () => {
    expect(await verifyC1()).toEqual([]);
  });

  it('one changed byte in an event\'s data fails verification at that event', async () => {
    edit((db) => {
      const row = db.prepare("SELECT data FROM events WHERE stream = 'carrier-C1' AND revision = 2").get() as { data: string };
      const changed = row.data.replace('"to":"reader2"', '"to":"reader3"');
      expect(changed).not.toBe(row.data);
      db.prepare("UPDATE events SET data = ? WHERE stream = 'carrier-C1' AND revision = 2").run(changed);
    });
    const issues = await verifyC1();
    expect(issues[0]).toMatchObject({ revision: 2 });
    expect(issues.filter((i) => i.revision === 2).map((i) => i.code)).toContain('bad-signature');
    expect(issues.every((i) => i.revision >= 2)).toBe(true);
  });

  it('a changed signature fails verification at that event', async () => {
    edit((db) => {
      const row = db.prepare("SELECT data FROM events WHERE stream = 'carrier-C1' AND revision = 1").get() as { data: string };
      const data = JSON.parse(row.data) as { signatures: Array<{ signature: string }> };
      const sig = data.signatures[0]!.signature;
      data.signatures[0]!.signature = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
      db.prepare("UPDATE events SET data = ? WHERE stream = 'carrier-C1' AND revision = 1").run(JSON.stringify(data));
    });
    const issues = await verifyC1();
    expect(issues[0]).toMatchObject({ revision: 1 });
    expect(issues.map((i) => i.code)).toContain('bad-signature');
  });

  it('two swapped events fail verification at the first of them', async () => {
    edit((db) => {
      const get = db.prepare("SELECT data, metadata, event_id FROM events WHERE stream = 'carrier-C1' AND revision = ?");
      const one = get.get(1) as Record<string, string>;
      const two = get.get(2) as Record<string, string>;
      const put = db.prepare("UPDATE events SET data = ?, metadata = ?, event_id = ? WHERE stream = 'carrier-C1' AND revision = ?");
      db.transaction(() => {
        put.run(one['data'], one['metadata'], 'swap-temp', 2);
        put.run(two['data'], two['metadata'], two['event_id'], 1);
        put.run(one['data'], one['metadata'], one['event_id'], 2);
      })();
    });
    const issues = await verifyC1();
    expect(issues[0]).toMatchObject({ revision: 1, code: 'wrong-position' });
  });

  it('data edited into something with no canonical form is reported as a malformed event, not thrown', async () => {
    edit((db) => {
      const row = db.prepare("SELECT data FROM events WHERE stream = 'carrier-C1' AND revision = 1").get() as { data: string };
      const data = JSON.parse(row.data) as { act: { events: Array<{ data: Record<string, unknown> }> } };
      data.act.events[0]!.data['extra'] = 0.5;
      db.prepare("UPDATE events SET data = ? WHERE stream = 'carrier-C1' AND revision = 1").run(JSON.stringify(data));
    });
    const issues = await verifyC1();
    expect(issues[0]).toMatchObject({ revision: 1, code: 'malformed-event' });
  });

  it('a dropped event in the middle fails verification where the gap is', async () => {
    edit((db) => db.prepare("DELETE FROM events WHERE stream = 'carrier-C1' AND revision = 2").run());
    const issues = await verifyC1();
    expect(issues[0]).toMatchObject({ revision: 2, code: 'wrong-position' });
  });
});
