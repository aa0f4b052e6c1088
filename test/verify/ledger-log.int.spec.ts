import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { createLedgerLog, UnhashedEvent } from '../../src/verify/checkpoint/log.js';
import { buildOffice } from './fixture.js';

describe('the checkpoints\' log, fed by the read of the log at start', () => {
  it('takes the events it is handed, so a checkpoint signed over it equals one over a log that read the store itself', async () => {
    const office = await buildOffice();
    const events = await office.store.readAll();
    const fed = createLedgerLog(office.store);
    for (const event of events) fed.ingest(event);
    // Handed again (a page read twice), nothing changes.
    for (const event of events.slice(-3)) fed.ingest(event);
    const own = createLedgerLog(office.store);
    expect(await fed.sync()).toBe(await own.sync());
    expect(fed.tree.root(fed.tree.size())).toEqual(own.tree.root(own.tree.size()));
    expect(fed.heads.root()).toEqual(own.heads.root());

    const viaFed = await createCheckpointer({ store: office.store, ledgerKey: office.ledgerKey, clock: office.kit.clock, log: fed });
    const { checkpoint } = await viaFed.checkpoint();
    expect(checkpoint.size).toBe(own.tree.size());
    expect(checkpoint.root).toEqual(own.tree.root(own.tree.size()));
  });

  it('stops taking events at one it cannot hash, and sync reports that event as before', async () => {
    const store = createMemoryStore();
    await store.append({ stream: 'carrier-X', expected: 'no-stream', events: [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'CarrierRegistered', data: {}, metadata: {} }] });
    const log = createLedgerLog(store);
    for (const event of await store.readAll()) log.ingest(event);
    await expect(log.sync()).rejects.toThrow(UnhashedEvent);
  });
});
