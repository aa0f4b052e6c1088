/**
 * SQLite event store throughput on a temp file: sequential appends (one fsync each), concurrent
 * appends (group commit: many requests per fsync), and readAll paging. Each measurement is bounded
 * by time, not by count, so the bench takes the same ~8 s on a fast or a slow machine.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
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

export default async function storeBench(): Promise<Measurement[]> {
  const dir = await mkdtemp(join(tmpdir(), 'custody-ledger-bench-'));
  const store = createSqliteStore({ path: join(dir, 'events.db') });
  try {
    const sequential = await sequentialAppends(store);
    const concurrent = await concurrentAppends(store);
    const read = await readAllEvents(store);
    return [
      { name: 'store.sqlite.append.sequential', value: sequential, unit: 'appends/s' },
      { name: `store.sqlite.append.concurrent${IN_FLIGHT}`, value: concurrent, unit: 'appends/s' },
      { name: `store.sqlite.readAll.page${READ_PAGE}`, value: read, unit: 'events/s' },
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) storeBench().then((r) => console.table(r));
