import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadLog, type ReadLog } from '../../src/audit/read-log.js';
import { createApiKit, type ApiKit } from './kit.js';

let dir: string;
let path: string;
let readLog: ReadLog;
let api: ApiKit;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reads-'));
  path = join(dir, 'custody.reads.db');
  readLog = openReadLog({ path });
  api = await createApiKit({ readLog });
});
afterEach(async () => {
  expect(api.unexpected).toEqual([]);
  await readLog.close();
  await rm(dir, { recursive: true, force: true });
});

const readsAs = async (personId: string, query = '') => api.call('GET', `/audit/reads${query}`, { token: await api.login(personId) });

describe('the read log (issue #18)', () => {
  it('records who read which carrier, and a hidden carrier as not found or hidden', async () => {
    await api.call('GET', '/carriers/C1', { token: await api.login('clerk1') });
    await api.call('GET', '/carriers/C1/history', { token: await api.login('reader2'), headers: { 'x-request-id': 'req-42' } });
    await api.call('GET', '/carriers/C404', { token: await api.login('reader1') });

    const reply = await readsAs('officer', '?carrier=C1');
    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([
      { seq: expect.any(Number), time: expect.any(String), personId: 'clerk1', kind: 'carrier', carriers: ['C1'], subject: null, outcome: 'shown', requestId: expect.any(String) },
      { seq: expect.any(Number), time: expect.any(String), personId: 'reader2', kind: 'history', carriers: ['C1'], subject: null, outcome: 'not-found-or-hidden', requestId: 'req-42' },
    ]);
    const byReader1 = await readsAs('officer', '?person=reader1');
    expect(byReader1.body.items).toMatchObject([{ carriers: ['C404'], outcome: 'not-found-or-hidden' }]);
  });

  it('answers its request id, records refusals, and pages with a cursor', async () => {
    const mine = await api.app.request('/carriers/C1', { headers: { authorization: `Bearer ${await api.login('clerk1')}` } });
    expect(mine.headers.get('x-request-id')).toMatch(/.+/);
    await api.call('GET', '/carriers/C1/access', { token: await api.login('reader1') });
    const first = await readsAs('officer', '?limit=1');
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({ personId: 'clerk1', requestId: mine.headers.get('x-request-id') });
    const second = await readsAs('officer', `?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toMatchObject([{ personId: 'reader1', kind: 'access', outcome: 'refused' }]);
  });

  it('filters by time', async () => {
    await api.call('GET', '/carriers/C1', { token: await api.login('clerk1') });
    const all = await readsAs('officer');
    const time = all.body.items[0].time as string;
    expect((await readsAs('officer', `?from=${encodeURIComponent(time)}&carrier=C1`)).body.items).toHaveLength(1);
    expect((await readsAs('officer', `?to=${encodeURIComponent(time)}&carrier=C1`)).body.items).toHaveLength(0);
  });

  it('is for security officers and investigators only', async () => {
    const reply = await api.refusedWithoutAppending(403, () => readsAs('clerk1'));
    expect(reply.body.detail).toMatch(/security officers and investigators/);
    expect((await readsAs('officer', '?limit=0')).status).toBe(400);
  });

  it('lives in a file only its owner may read, and refuses to change or remove a row', async () => {
    await api.call('GET', '/carriers/C1', { token: await api.login('clerk1') });
    readLog.flush();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const db = new Database(path);
    try {
      expect(db.prepare('SELECT count(*) FROM reads').pluck().get()).toBe(1);
      expect(() => db.prepare("UPDATE reads SET person_id = 'someone'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM reads').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('keeps what was queued when it is closed', async () => {
    readLog.record({ time: '2026-12-01T10:00:00.000Z', personId: 'clerk1', kind: 'where', carriers: ['C1'], subject: null, outcome: 'shown', requestId: 'r1' });
    await readLog.close();
    readLog = openReadLog({ path });
    expect(readLog.query({ limit: 10 })).toMatchObject([{ requestId: 'r1' }]);
  });
});
