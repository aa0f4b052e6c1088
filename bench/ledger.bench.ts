import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignedAct } from '../src/domain/act.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { createKit } from '../test/ledger/kit.js';

type Result = { name: string; value: number; unit: string };

/**
 * Two-signature hand-overs appended through the command handler to a durable SQLite file: decide,
 * canonical form, both signatures verified, hash chain, commit. Signing is the clients' work, done
 * before the clock starts.
 */
export default async function ledgerBench(): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-'));
  const store = createSqliteStore({ path: join(dir, 'bench.db') });
  try {
    const kit = await createKit(store);
    await kit.enrolCast();
    const carriers = 6_000;
    const ids = Array.from({ length: carriers }, (_, i) => `B${i}`);
    for (const id of ids) await kit.register(id);

    const signedTransfers = (slice: string[], receiver: string): SignedAct[] =>
      slice.map((id) => kit.signed(kit.transfer(id, 'clerk1', receiver)));

    // Sequential: one client, waiting for each durable commit.
    const sequentialIds = ids.slice(0, 1_000);
    const sequential = signedTransfers(sequentialIds, 'reader1');
    let started = performance.now();
    for (const act of sequential) await kit.ledger.submit(act);
    const sequentialRate = sequential.length / ((performance.now() - started) / 1000);

    // Concurrent: many clients in flight; the store folds their appends into group commits.
    const concurrent = signedTransfers(ids.slice(1_000), 'reader2');
    const inFlight = 256;
    started = performance.now();
    for (let i = 0; i < concurrent.length; i += inFlight) {
      await Promise.all(concurrent.slice(i, i + inFlight).map((act) => kit.ledger.submit(act)));
    }
    const concurrentRate = concurrent.length / ((performance.now() - started) / 1000);

    return [
      { name: 'handler: 2-signature acts appended, sequential (durable)', value: Math.round(sequentialRate), unit: 'acts/s' },
      { name: `handler: 2-signature acts appended, ${inFlight} in flight (durable)`, value: Math.round(concurrentRate), unit: 'acts/s' },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ledgerBench().then((r) => console.table(r));
