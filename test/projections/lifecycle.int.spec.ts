import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProjections, ProjectionError, ProjectionLag, type ProjectionSet } from '../../src/projections/index.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { officeCast } from './cast.js';
import { caught, createWorld, type World } from './world.js';

let dir: string;
let store: EventStore;
let world: World;
const opened: ProjectionSet[] = [];

const open = async (options: { pageSize?: number } = {}) => {
  const projections = await createProjections({ store, ...options });
  opened.push(projections);
  return projections;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-projections-'));
  store = createSqliteStore({ path: join(dir, 'ledger.db') });
  world = await createWorld({ store, start: '2026-11-23T08:00:00.000Z' });
  await world.enrolAll(officeCast(4));
  for (const id of ['A', 'B', 'C']) await world.register(id, 'r1clerk1');
  await world.transfer('A', 'r1clerk1', 'reader01', 'Office 1');
});

afterEach(async () => {
  for (const projections of opened.splice(0)) projections.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('projections over a real SQLite file: rebuilt at start, then following the log', () => {
  it('rebuild reads the whole log in pages and starts at its head', async () => {
    const projections = await open({ pageSize: 7 });
    expect(projections.position).toBe(await store.headPosition());
    expect(projections.where('A').holders).toEqual(['reader01']);
    expect(projections.holdings('r1clerk1').carriers.map((c) => c.carrierId)).toEqual(['B', 'C']);
  });

  it('says how far the rebuild has read after each page, and hands every event to another fold too', async () => {
    const head = await store.headPosition();
    const seen: bigint[] = [];
    const progress: Array<{ position: bigint; head: bigint }> = [];
    await createProjections({ store, pageSize: 7, alsoRebuild: (e) => seen.push(e.position), onRebuildProgress: (p) => progress.push(p) }).then((p) => opened.push(p));
    expect(seen).toEqual((await store.readAll()).map((e) => e.position));
    expect(progress.length).toBe(Math.ceil(Number(head) / 7));
    expect(progress.at(-1)).toEqual({ position: head, head });
    expect(progress.map((p) => p.position)).toEqual([...progress.map((p) => p.position)].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('a client that just appended reads its own write once waitFor resolves', async () => {
    const projections = await open();
    const result = await world.transfer('B', 'r1clerk1', 'reader02', 'Office 2');
    await projections.waitFor(result.events.at(-1)!.position);
    expect(projections.where('B')).toMatchObject({ holders: ['reader02'], location: 'Office 2' });
    expect(projections.position).toBe(result.events.at(-1)!.position);
  });

  it('follows people as well: a person enrolled after start can be asked about', async () => {
    const projections = await open();
    const result = await world.enrol({ id: 'newcomer', clearance: 'secret', roles: [] });
    await projections.waitFor(result.events.at(-1)!.position);
    expect(projections.holdings('newcomer')).toEqual({ personId: 'newcomer', name: 'Name of newcomer', carriers: [] });
  });

  it('waiting for a position already applied resolves at once; one never reached gives up with ProjectionLag', async () => {
    const projections = await open();
    await expect(projections.waitFor(1n)).resolves.toBeUndefined();
    const lag = await projections.waitFor(projections.position + 1000n, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(lag).toBeInstanceOf(ProjectionLag);
    expect((lag as ProjectionLag).waitedFor).toBe(projections.position + 1000n);
  });

  it('rebuilt and live projections of the same file are equal', async () => {
    const live = await open();
    const last = await world.perform('OpenCirculation', { carrierId: 'C', circulationId: 'K', readers: ['reader02'], openedBy: 'r1clerk1' });
    await live.waitFor(last.events.at(-1)!.position);
    const rebuilt = await open({ pageSize: 3 });
    expect(rebuilt.snapshot()).toEqual(live.snapshot());
  });

  it('once closed, projections stop following', async () => {
    const projections = await open();
    const before = projections.position;
    projections.close();
    const appended = await world.transfer('C', 'r1clerk1', 'reader03', 'Office 3');
    await expect(projections.waitFor(appended.events.at(-1)!.position)).rejects.toThrow(/closed/);
    expect(projections.position).toBe(before);
    expect(projections.where('C').holders).toEqual(['r1clerk1']);
  });
});

describe('a stored event the projections cannot read', () => {
  it('stops the feed: queries and waits fail with a ProjectionError naming the position, instead of answering stale', async () => {
    const memory = createMemoryStore();
    const projections = await createProjections({ store: memory });
    const appended = await memory.append({ stream: 'carrier-Z', expected: 'no-stream', events: [{ eventId: '00000000-0000-8000-8000-000000000001', type: 'CarrierRegistered', data: { not: 'an envelope' } }] });
    const failure = await projections.waitFor(appended.position, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProjectionError);
    expect((failure as ProjectionError).message).toContain('position 1');
    expect(caught(() => projections.holdings('anyone'))).toBeInstanceOf(ProjectionError);
    await expect(createProjections({ store: memory })).rejects.toBeInstanceOf(ProjectionError);
    projections.close();
  });
});
