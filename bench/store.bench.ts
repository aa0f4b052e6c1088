/**
 * SQLite event store throughput on a temp file: sequential appends (one fsync each), concurrent
 * appends (group commit: many requests per fsync), and readAll paging. Each measurement is bounded
 * by time, not by count, so the bench takes the same ~8 s on a fast or a slow machine. Then one
 * batch act over 500 carriers (the seed policy's cap): every carrier's event holds the whole act,
 * so what it costs to store and read back grows with the square of its carriers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, NewEvent } from '../src/store/port.js';
import { createSqliteStore } from '../src/store/sqlite.js';

type Measurement = { name: string; value: number; unit: string };

const DURATION_MS = 2500;
const IN_FLIGHT = 64;
const READ_PAGE = 1000;

/** About the size of a real custody event: ids, a reason, a signature in the metadata. */
function sampleEvent(seq: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CarrierTransferred',
    data: { carrierId: `carrier-${seq % 997}`, from: 'person-12', to: 'person-34', reason: 'courier handover at registry desk', seq },
    metadata: { actor: 'person-12', at: new Date(0).toISOString(), signature: `ed25519:${'A'.repeat(86)}` },
  };
}

async function timed(run: (deadline: number) => Promise<number>): Promise<number> {
  const start = performance.now();
  const count = await run(start + DURATION_MS);
  return Math.round(count / ((performance.now() - start) / 1000));
}

function sequentialAppends(store: EventStore): Promise<number> {
  return timed(async (deadline) => {
    let expected: 'no-stream' | bigint = 'no-stream';
    let count = 0;
    while (performance.now() < deadline) {
      ({ nextExpectedRevision: expected } = await store.append({ stream: 'carrier-sequential', expected, events: [sampleEvent(count)] }));
      count += 1;
    }
    return count;
  });
}

function concurrentAppends(store: EventStore): Promise<number> {
  return timed(async (deadline) => {
    let count = 0;
    const appender = async () => {
      while (performance.now() < deadline) {
        const seq = count++;
        await store.append({ stream: `carrier-concurrent-${seq}`, expected: 'no-stream', events: [sampleEvent(seq)] });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, appender));
    return count;
  });
}

function readAllEvents(store: EventStore): Promise<number> {
  return timed(async (deadline) => {
    let count = 0;
    while (performance.now() < deadline) {
      for (let after = 0n; performance.now() < deadline; ) {
        const page = await store.readAll({ after, limit: READ_PAGE });
        if (page.length === 0) break;
        count += page.length;
        after = page.at(-1)!.position;
      }
    }
    return count;
  });
}

const BATCH_CARRIERS = 500;

/** An append shaped like a stored inventory act over `carriers` carriers: the same act in every event, its index apart. */
function batchAct(carriers: number) {
  const ids = Array.from({ length: carriers }, (_, i) => `INV-C${i}`);
  const act = {
    command: { data: { inventoryId: 'INV-1', location: 'R1/safe-1', notSighted: [], sighted: ids, takenBy: ['clerk1', 'clerk2'] }, type: 'TakeInventory' },
    events: ids.map((id) => ({ data: { inventoryId: 'INV-1', location: 'R1/safe-1', sighted: true }, prevHash: 'ab'.repeat(32), revision: 1, stream: `carrier-${id}`, type: 'InventoryTaken' })),
    ledger: 'bench-ledger',
    signers: ['clerk1', 'clerk2'],
    time: new Date(0).toISOString(),
    v: 1,
  };
  const signatures = ['clerk1', 'clerk2'].map((signer) => ({ publicKey: 'K'.repeat(43), signature: 'S'.repeat(86), signer }));
  return ids.map((id, index) => ({
    stream: `carrier-${id}`,
    expected: 'no-stream' as const,
    events: [{ eventId: randomUUID(), type: 'InventoryTaken', data: { act, index, signatures } }],
  }));
}

async function batchActCosts(path: string) {
  const store = createSqliteStore({ path });
  try {
    const requests = batchAct(BATCH_CARRIERS);
    let start = performance.now();
    await store.appendMany(requests);
    const appendSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    const read = await store.readAll({ limit: BATCH_CARRIERS });
    const readSeconds = (performance.now() - start) / 1000;
    if (read.length !== BATCH_CARRIERS) throw new Error(`bench: read ${read.length} of ${BATCH_CARRIERS} events back`);
    const db = new Database(path, { readonly: true });
    const stored = db.prepare('SELECT SUM(length(CAST(data AS BLOB))) FROM events').pluck().get() as number;
    db.close();
    const logical = requests.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r.events[0]!.data)), 0);
    return { appendSeconds, readSeconds, storedMb: stored / 1e6, logicalMb: logical / 1e6 };
  } finally {
    await store.close();
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export default async function storeBench(): Promise<Measurement[]> {
  const dir = await mkdtemp(join(tmpdir(), 'custody-ledger-bench-'));
  const store = createSqliteStore({ path: join(dir, 'events.db') });
  try {
    const sequential = await sequentialAppends(store);
    const concurrent = await concurrentAppends(store);
    const read = await readAllEvents(store);
    const batch = await batchActCosts(join(dir, 'batch.db'));
    return [
      { name: 'store.sqlite.append.sequential', value: sequential, unit: 'appends/s' },
      { name: `store.sqlite.append.concurrent${IN_FLIGHT}`, value: concurrent, unit: 'appends/s' },
      { name: `store.sqlite.readAll.page${READ_PAGE}`, value: read, unit: 'events/s' },
      { name: `store.sqlite.batch${BATCH_CARRIERS}: the act's events as written (every copy)`, value: round(batch.logicalMb, 1), unit: 'MB' },
      { name: `store.sqlite.batch${BATCH_CARRIERS}: stored (first copy whole, the others as what differs)`, value: round(batch.storedMb, 2), unit: 'MB' },
      { name: `store.sqlite.batch${BATCH_CARRIERS}: appendMany, one transaction`, value: round(batch.appendSeconds, 2), unit: 's' },
      { name: `store.sqlite.batch${BATCH_CARRIERS}: read back and parse every copy`, value: round(batch.readSeconds, 2), unit: 's' },
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) storeBench().then((r) => console.table(r));
