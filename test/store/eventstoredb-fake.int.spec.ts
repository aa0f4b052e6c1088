/**
 * The store contract against the EventStoreDB adapter running over the in-memory fake client: every
 * decision the adapter makes (claims, retries, batches, paging, subscriptions) is held to the same
 * contract as SQLite without a server. It runs twice: as the client's types promise, and with the
 * fake handing out `number` where they promise `bigint` (as the real client has done).
 */
import { createEventStoreDbStore } from '../../src/store/eventstoredb.js';
import { createFakeEsdbClient } from '../../src/store/eventstoredb/fake-client.js';
import { storeContract } from './contract.js';

for (const numbersForBigints of [false, true]) {
  storeContract(`eventstoredb (fake client${numbersForBigints ? ' handing out numbers' : ''})`, async () => {
    const client = createFakeEsdbClient({ numbersForBigints });
    const store = createEventStoreDbStore({ client, recoveryIntervalMs: 0 });
    return { store, cleanup: () => store.close() };
  });
}
