import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignedAct } from '../src/domain/act.js';
import { createVerifierPool, inlineBatchVerifier, type BatchVerifier } from '../src/crypto/verifier-pool.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { createKit } from '../test/ledger/kit.js';

type Result = { name: string; value: number; unit: string };

/**
 * Two-signature hand-overs appended through the command handler to a durable SQLite file: decide,
 * canonical form, both signatures verified, hash chain, commit. Signing is the clients' work, done
 * before the clock starts. Measured with verification on the main thread and on a worker pool.
 */
async function measure(verifierName: string, verifier: BatchVerifier): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-'));
  const store = createSqliteStore({ path: join(dir, 'bench.db') });
  try {
    const kit = await createKit(store, undefined, verifier);
    await kit.enrolCast();
    const ids = Array.from({ length: 11_000 }, (_, i) => `B${i}`);
    for (let i = 0; i < ids.length; i += 500) await Promise.all(ids.slice(i, i + 500).map((id) => kit.register(id)));

    const signedTransfers = (slice: string[], receiver: string): SignedAct[] =>
      slice.map((id) => kit.signed(kit.transfer(id, 'clerk1', receiver)));

    // Sequential: one client, waiting for each durable commit.
    const sequential = signedTransfers(ids.slice(0, 1_000), 'reader1');
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
      { name: `handler, verify ${verifierName}: 2-signature acts, sequential (durable)`, value: Math.round(sequentialRate), unit: 'acts/s' },
      { name: `handler, verify ${verifierName}: 2-signature acts, ${inFlight} in flight (durable)`, value: Math.round(concurrentRate), unit: 'acts/s' },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function ledgerBench(): Promise<Result[]> {
  const pool = createVerifierPool();
  try {
    return [...(await measure('inline', inlineBatchVerifier())), ...(await measure('on a worker pool', pool))];
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ledgerBench().then((r) => console.table(r));
