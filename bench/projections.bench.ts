/**
 * Projections at scale: a ledger of 1M stored events over 100k carriers, fabricated directly as
 * stored envelopes of the right shape (acts, signatures, hash links) and appended to a SQLite file
 * in large batches; signing a million acts would measure the signer, not the read side. Measures
 * the rebuild (read, parse, fold every event) and the latency of where, where-at, holdings,
 * holdings-at and trace on that ledger and on one of 10k events, to show that query cost follows
 * the size of a carrier's or person's own history, not the ledger's; and the server's start over it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import type { AppendRequest, EventStore, JsonObject } from '../src/store/port.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { createProjections, type ProjectionSet } from '../src/projections/index.js';
import { openLedgerHome } from '../src/server/home.js';
import { seeded } from '../test/projections/seeded.js';

type Result = { name: string; value: number; unit: string };

const T0 = Date.parse('2026-01-05T08:00:00.000Z');
const KEY = 'A'.repeat(43);
const SIGNATURE = 'B'.repeat(86);


const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padStart(64, '0');

type Shape = { carriers: number; readers: number; clerks: number; couriers: number; registries: number };

/** The organisation grows with its ledger: one carrier per ten events, one reader per fifty carriers. */
const shapeFor = (events: number): Shape => {
  const carriers = Math.round(events / 10);
  const readers = Math.max(10, Math.round(carriers / 50));
  return { carriers, readers, clerks: Math.max(4, Math.round(carriers / 2000)), couriers: 20, registries: 4 };
};

type Clerk = { id: string; registry: string };
type Carrier = { id: string; phase: number; holders: string[]; readers: string[]; seal: string; clerk: Clerk; missing: boolean };
/** One step of a carrier's life: the command signed, its signers, and the event it appends. */
type Step = { command: string; input: Record<string, unknown>; signers: string[]; type: string; data: Record<string, unknown> };

/** Appends acts as the ledger stores them (one envelope per event, hash-linked), 20 000 per batch. */
function envelopes(store: EventStore) {
  const heads = new Map<string, { revision: number; hash: string }>();
  let batch: AppendRequest[] = [];
  let acts = 0;
  const flush = async () => {
    if (batch.length > 0) await store.appendMany(batch);
    batch = [];
  };
  return {
    flush,
    get acts() {
      return acts;
    },
    async append(stream: string, { command, input, signers, type, data }: Step): Promise<void> {
      acts += 1;
      const head = heads.get(stream);
      const revision = head ? head.revision + 1 : 0;
      const hash = hex(acts, 'e');
      const time = new Date(T0 + acts * 1_000).toISOString();
      const sorted = [...new Set(signers)].sort();
      const event = { stream, revision, prevHash: head?.hash ?? null, type, data };
      const act = { v: 1, ledger: 'bench', command: { type: command, data: input }, time, signers: sorted, events: [event] };
      // v2 signatures, each dated when its act was prepared: the fold reads every signer's time.
      const signatures = sorted.map((signer) => ({ signer, publicKey: KEY, signedAt: time, signature: SIGNATURE }));
      const eventId = `00000000-0000-8000-8000-${acts.toString(16).padStart(12, '0')}`;
      const envelope = { act, index: 0, signatures } as unknown as JsonObject;
      batch.push({ stream, expected: head ? BigInt(revision - 1) : 'no-stream', events: [{ eventId, type, data: envelope, metadata: { actId: hex(acts, 'a'), hash, recordedAt: time } }] });
      heads.set(stream, { revision, hash });
      if (batch.length >= 20_000) await flush();
    },
  };
}

/** Each carrier goes round the same cycle: lent to a reader, circulated, inventoried, carried by a pair. */
function nextStep(c: Carrier, pick: <T>(list: T[]) => T, readers: string[], couriers: string[], nowMs: number): Step {
  const clerk = c.clerk.id;
  const where = `${c.clerk.registry}/safe-1`;
  const round = Math.floor(c.phase / 10);
  const circulationId = `${c.id}-${round}`;
  const transportId = `T-${c.id}-${round}`;
  const step = (command: string, input: Record<string, unknown>, signers: string[], type: string, data = input): Step =>
    ({ command, input: { carrierId: c.id, ...input }, signers, type, data });
  switch (c.phase++ % 10) {
    case 0: {
      const to = pick(readers);
      return step('TransferCustody', { giver: clerk, receiver: to, location: 'Office 12' }, [clerk, to], 'CustodyTransferred',
        { from: clerk, to, location: 'Office 12', atRegistry: false });
    }
    case 1:
      return step('TransferCustody', { giver: c.holders[0], receiver: clerk, location: where }, [c.holders[0]!, clerk], 'CustodyTransferred',
        { from: c.holders[0], to: clerk, location: where, atRegistry: true });
    case 2:
      c.readers = [...new Set([pick(readers), pick(readers)])];
      return step('OpenCirculation', { circulationId, readers: c.readers, purpose: 'reading', urgent: false, readingHours: 48, openedBy: clerk }, [clerk], 'CirculationOpened');
    case 3: {
      const reader = pick(c.readers);
      const dueBy = new Date(nowMs + 48 * 3_600_000).toISOString();
      return step('IssueToReader', { circulationId, reader, issuedBy: clerk, dueBy }, [clerk, reader], 'CarrierIssuedToReader');
    }
    case 4: {
      const reader = c.holders[0]!;
      return step('ReturnFromReader', { circulationId, reader, readerName: `Name of ${reader}`, receivedBy: clerk }, [reader, clerk], 'CarrierReturnedByReader');
    }
    case 5:
      return step('CloseCirculation', { circulationId, closedBy: clerk }, [clerk], 'CirculationClosed');
    case 6: {
      const finding = { inventoryId: `inv-${c.id}-${round}`, location: where, takenBy: [clerk] };
      return step('TakeInventory', { ...finding, sighted: [c.id], notSighted: [] }, [clerk], 'InventoryTaken', { ...finding, sighted: true });
    }
    case 7: {
      const pair = [...new Set([pick(couriers), pick(couriers)])];
      c.seal = `S-${c.id}-${round}`;
      const expectedBy = new Date(nowMs + 24 * 3_600_000).toISOString();
      const data = { transportId, from: clerk, couriers: pair, destination: { registry: c.clerk.registry, person: null }, leavesPremises: false, seal: c.seal, expectedBy, purpose: 'delivery' };
      return step('DispatchTransport', { ...data, giver: clerk }, [clerk, ...pair], 'TransportDispatched', data);
    }
    case 8:
      return step('DeliverTransport', { transportId, couriers: c.holders, receiver: clerk, location: where, sealSeen: c.seal }, [...c.holders, clerk], 'TransportDelivered',
        { transportId, couriers: c.holders, receiver: clerk, location: where, seal: { expected: c.seal, seen: c.seal, intact: true }, atRegistry: true });
    default:
      return step('ReportMissing', { reportedBy: clerk, circumstances: 'not in the safe at the morning check' }, [clerk], 'CarrierReportedMissing');
  }
}

/** Writes `events` stored events: enrolments, registrations, then custody cycles on random carriers. */
export async function fabricate(store: EventStore, events: number, seed: number): Promise<{ shape: Shape; endMs: number }> {
  const shape = shapeFor(events);
  const random = seeded(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const out = envelopes(store);
  const clerks: Clerk[] = Array.from({ length: shape.clerks }, (_, i) => ({ id: `clerk${i}`, registry: `R${i % shape.registries}` }));
  const readers = Array.from({ length: shape.readers }, (_, i) => `reader${i}`);
  const couriers = Array.from({ length: shape.couriers }, (_, i) => `courier${i}`);
  const people: Array<[string, unknown[]]> = [
    ['officer', [{ role: 'security-officer' }]],
    ...clerks.map((c): [string, unknown[]] => [c.id, [{ role: 'registry-clerk', registry: c.registry }]]),
    ...readers.map((id): [string, unknown[]] => [id, []]),
    ...couriers.map((id): [string, unknown[]] => [id, [{ role: 'courier' }]]),
  ];
  for (const [id, roles] of people) {
    const data = { personId: id, name: `Name of ${id}`, unit: 'Unit 1', clearance: 'top-secret', roles, publicKey: KEY, enrolledBy: 'officer' };
    await out.append(`person-${id}`, { command: 'EnrolPerson', input: data, signers: ['officer', id], type: 'PersonEnrolled', data });
  }
  const carriers: Carrier[] = [];
  for (let i = 0; i < shape.carriers; i++) {
    const clerk = pick(clerks);
    const classification = pick(['confidential', 'secret', 'top-secret']);
    const description = { kind: 'document', classification, title: `Report ${i}`, originator: 'Central Office', reference: `CO-${i}`, copyNumber: 1, itemCount: 4, registry: clerk.registry, cipherTelegram: false, archive: false, personal: null };
    const input = { carrierId: `C${i}`, description, holder: clerk.id, location: `${clerk.registry}/safe-1`, registeredBy: clerk.id };
    await out.append(`carrier-C${i}`, { command: 'RegisterCarrier', input, signers: [clerk.id], type: 'CarrierRegistered', data: { ...input, atRegistry: true } });
    carriers.push({ id: `C${i}`, phase: 0, holders: [clerk.id], readers: [], seal: '', clerk, missing: false });
  }
  while (out.acts < events) {
    const c = pick(carriers);
    if (c.missing) continue;
    // One carrier in fifty goes missing at the end of a cycle; the rest start the next one.
    if (c.phase % 10 === 9 && random() >= 0.02) c.phase += 1;
    const step = nextStep(c, pick, readers, couriers, T0 + (out.acts + 1) * 1_000);
    await out.append(`carrier-${c.id}`, step);
    const d = step.data;
    if (step.type === 'CustodyTransferred') c.holders = [d['to'] as string];
    else if (step.type === 'CarrierIssuedToReader') c.holders = [d['reader'] as string];
    else if (step.type === 'CarrierReturnedByReader' || step.type === 'TransportDelivered') c.holders = [c.clerk.id];
    else if (step.type === 'TransportDispatched') c.holders = d['couriers'] as string[];
    else if (step.type === 'CarrierReportedMissing') c.missing = true;
  }
  await out.flush();
  return { shape, endMs: T0 + out.acts * 1_000 };
}

/** Mean and 99th percentile of one query over `count` random inputs, in microseconds, after a warm-up. */
function latency(count: number, query: () => unknown): { mean: number; p99: number } {
  for (let i = 0; i < 2_000; i++) query();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    query();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const micro = (ms: number) => Math.round(ms * 10_000) / 10;
  return { mean: micro(times.reduce((a, b) => a + b, 0) / count), p99: micro(times[Math.floor(count * 0.99)]!) };
}

/** What the store alone costs: every event read and parsed, nothing folded. The rebuild cannot beat it. */
async function scan(store: EventStore): Promise<number> {
  const started = performance.now();
  let page = await store.readAll({ limit: 1_000 });
  while (page.length > 0) page = await store.readAll({ after: page.at(-1)!.position, limit: 1_000 });
  return (performance.now() - started) / 1000;
}

/** Heap held after a full collection (a collection is asked for only here, inside the bench). */
function heapMb(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

/** How many distinct carriers and readers the latency loops ask about, at every ledger size. */
const QUERIED_CARRIERS = 1_000;
const QUERIED_READERS = 20;

async function measure(events: number, label: string): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-projections-bench-'));
  const dbPath = join(dir, 'ledger.db');
  // The ledger's key, made as `npm start` makes it on an empty file, so the server's start can be timed too.
  await (await openLedgerHome({ dbPath })).close();
  const store = createSqliteStore({ path: dbPath });
  let projections: ProjectionSet | undefined;
  try {
    const generated = performance.now();
    const { shape, endMs } = await fabricate(store, events, 7);
    const fabricateS = (performance.now() - generated) / 1000;
    const scanS = await scan(store);
    const heapBefore = heapMb();
    const rebuild = await withGcPauses(() => createProjections({ store }));
    projections = rebuild.value;
    const rebuildS = rebuild.seconds;
    const heldMb = heapMb() - heapBefore;

    // The same number of distinct carriers and readers is asked about at both sizes: a loop over
    // 2 000 readers instead of 20 measures the CPU caches, not the index.
    const random = seeded(11);
    const pool = (size: number, of: number) => Array.from({ length: Math.min(size, of) }, (_, i) => Math.floor((i * of) / Math.min(size, of)));
    const carriers = pool(QUERIED_CARRIERS, shape.carriers).map((i) => `C${i}`);
    const readers = pool(QUERIED_READERS, shape.readers).map((i) => `reader${i}`);
    const carrier = () => carriers[Math.floor(random() * carriers.length)]!;
    const reader = () => readers[Math.floor(random() * readers.length)]!;
    const instant = () => new Date(T0 + random() * (endMs - T0)).toISOString();
    const p = projections;
    const now = new Date(endMs).toISOString();
    const queries = {
      where: latency(20_000, () => p.where(carrier())),
      'where-at': latency(20_000, () => p.whereAt(carrier(), instant())),
      'holdings (a reader)': latency(20_000, () => p.holdings(reader())),
      'holdings-at (a reader)': latency(20_000, () => p.holdingsAt(reader(), instant())),
      trace: latency(5_000, () => p.trace(carrier(), now)),
    };
    projections.close();
    projections = undefined;
    const start = await withGcPauses(() => serverStart(dbPath));
    return [
      { name: `projections @ ${label}: server start (one read of the log: read models, write model, checkpoint tree)`, value: round(start.seconds), unit: 's' },
      { name: `projections @ ${label}: server start, of which garbage-collection pauses`, value: round(start.gcSeconds), unit: 's' },
      { name: `projections @ ${label}: rebuild (read, parse and fold ${events} events, ${shape.carriers} carriers)`, value: round(rebuildS), unit: 's' },
      { name: `projections @ ${label}: rebuild, of which garbage-collection pauses`, value: round(rebuild.gcSeconds), unit: 's' },
      { name: `projections @ ${label}: store scan alone (read and parse, no fold)`, value: round(scanS), unit: 's' },
      { name: `projections @ ${label}: rebuild rate`, value: Math.round(events / rebuildS), unit: 'events/s' },
      { name: `projections @ ${label}: heap held by the read models`, value: heldMb, unit: 'MB' },
      { name: `projections @ ${label}: fabricating the SQLite ledger (setup, not the read side)`, value: round(fabricateS, 1), unit: 's' },
      ...Object.entries(queries).flatMap(([query, { mean, p99 }]) => [
        { name: `projections @ ${label}: ${query} (mean)`, value: mean, unit: 'µs' },
        { name: `projections @ ${label}: ${query} (p99)`, value: p99, unit: 'µs' },
      ]),
    ];
  } finally {
    projections?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `npm start` waits for before it listens: the ledger home opened over the file (then closed again). */
async function serverStart(dbPath: string): Promise<void> {
  const home = await openLedgerHome({ dbPath });
  await home.close();
}

/**
 * How long `run` takes, and how much of it the garbage collector paused it: a share that moves with
 * the heap's settings and the models' shape, not with how fast this shared machine happens to be.
 * (`npm run bench` runs with `npm start`'s V8 flags, so this is the server's own figure.)
 */
async function withGcPauses<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; gcSeconds: number }> {
  const pauses: Array<{ startTime: number; duration: number }> = [];
  const observer = new PerformanceObserver((list) => void pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const started = performance.now();
  const value = await run();
  const ended = performance.now();
  // Entries arrive after the pauses they describe.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const gcMs = pauses.filter((p) => p.startTime >= started && p.startTime < ended).reduce((sum, p) => sum + p.duration, 0);
  return { value, seconds: (ended - started) / 1000, gcSeconds: gcMs / 1000 };
}

/**
 * 10k events, then 1M: the same queries on both, to show they do not grow with the ledger. The
 * organisation grows with the ledger (a reader holds about as much in either), as it does in life.
 */
export default async function projectionsBench(): Promise<Result[]> {
  const small = await measure(10_000, '10k');
  const large = await measure(1_000_000, '1M');
  return [...small, ...large];
}

if (import.meta.url === `file://${process.argv[1]}`) projectionsBench().then((r) => console.table(r));
