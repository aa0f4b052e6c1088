/**
 * The ledger (real keys, real acts) on the EventStoreDB adapter over the fake client: a multi-carrier
 * act goes through appendMany as one batch, a restarted ledger and a second API node rebuild the
 * same model from the store, and a resubmitted act is not recorded twice.
 */
import { describe, expect, it } from 'vitest';
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { createLedger } from '../../src/ledger/ledger.js';
import { createKit, LEDGER_ID } from '../ledger/kit.js';

describe('the ledger on EventStoreDB (fake client)', () => {
  it('R-BATCH-1 records a duty handover over two carriers as one batch, and every node rebuilds the same model', async () => {
    const client = createFakeEsdbClient();
    const store = createEventStoreDbStore({ client, recoveryIntervalMs: 0 });
    const kit = await createKit(store);
    await kit.enrolCast();
    await kit.register('C1');
    await kit.register('C2');

    const act = kit.ledger.prepare({ type: 'HandOverDuty', data: { carrierIds: ['C1', 'C2'], location: 'R1/safe-1', outgoing: 'clerk1', incoming: 'clerk2' } });
    const signed = kit.signed(act);
    const result = await kit.ledger.submit(signed);
    expect(result.events.map((event) => [event.stream, event.revision])).toEqual([
      ['carrier-C1', 1n],
      ['carrier-C2', 1n],
    ]);
    const batches = client.all().filter((event) => event.streamId.startsWith('store-batch-'));
    expect(batches.map((event) => event.type)).toEqual(['BatchRecorded', 'BatchSettled']);

    const restarted = await kit.restart();
    const otherNode = await createLedger({ store: createEventStoreDbStore({ client, recoveryIntervalMs: 0 }), ledgerId: LEDGER_ID });
    for (const ledger of [restarted, otherNode]) {
      expect(ledger.model.carriers.get('C1')).toMatchObject({ holders: ['clerk2'] });
      expect(ledger.model.carriers.get('C2')).toMatchObject({ holders: ['clerk2'] });
      expect(ledger.model.position).toBe(kit.ledger.model.position);
      expect(ledger.model.directory.size).toBe(10);
    }
    expect(await restarted.submit(signed)).toMatchObject({ alreadyRecorded: true, events: [] });
    expect((await store.readStream('carrier-C1')).map((event) => event.type)).toEqual(['CarrierRegistered', 'DutyHandedOver']);
    await store.close();
  });
});
