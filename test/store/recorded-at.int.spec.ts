import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createKit } from '../ledger/kit.js';

/** Every store keeps, beside each event, when the ledger appended it (transaction time), read back as written. */
const stores: Array<[string, () => { store: EventStore; done: () => void }]> = [
  ['memory', () => ({ store: createMemoryStore(), done: () => undefined })],
  [
    'SQLite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'custody-recorded-at-'));
      return { store: createSqliteStore({ path: join(dir, 'ledger.db') }), done: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['EventStoreDB (fake client)', () => ({ store: createEventStoreDbStore({ client: createFakeEsdbClient(), recoveryIntervalMs: 0 }), done: () => undefined })],
];

describe('the append time recorded with each event', () => {
  for (const [name, open] of stores) {
    it(`${name}: each event's metadata holds recordedAt, after the act took effect and never going back`, async () => {
      const { store, done } = open();
      try {
        const kit = await createKit(store);
        await kit.enrolCast();
        await kit.register('C1');
        await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk1', 'reader1')));
        const events = await store.readAll();
        const recorded = events.map((e) => String(e.metadata['recordedAt']));
        expect(recorded.every((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(t))).toBe(true);
        expect([...recorded].sort()).toEqual(recorded);
        const last = events.at(-1)!;
        const signedAt = (last.data as { signatures: Array<{ signedAt: string }> }).signatures.map((s) => s.signedAt).sort().at(-1)!;
        expect(String(last.metadata['recordedAt']) >= signedAt).toBe(true);
      } finally {
        await store.close();
        done();
      }
    });
  }
});
