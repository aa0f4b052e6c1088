import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type CustodyApp } from '../../src/api/app.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createSqliteInbox } from '../../src/inbox/sqlite.js';
import type { Inbox } from '../../src/inbox/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { EventStore } from '../../src/store/port.js';
import { createKit, type Kit } from '../ledger/kit.js';

/**
 * Fault 2 of issue #18: /ready says whether the ledger can append now, and an append the store could
 * not take is a 503 with Retry-After that says the act was not appended, never a 500.
 */

let dir: string;
let path: string;
let store: EventStore;
let kit: Kit;
let app: CustodyApp;
const logged: unknown[] = [];

async function open(options: { minFreeBytes?: number } = {}, inbox: Inbox = createMemoryInbox()) {
  store = createSqliteStore({ path, busyTimeoutMs: 0, ...options });
  kit = await createKit(store);
  app = createApp({ ledger: kit.ledger, store, inbox, clock: kit.clock, log: (e) => logged.push(e) });
}

beforeEach(async () => {
  logged.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'custody-ready-'));
  path = join(dir, 'custody.db');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ready = async () => {
  const response = await app.request('/ready');
  return { status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type'), body: (await response.json()) as any };
};

/** The first enrolment over HTTP, without a token: the one write anyone can make on a new ledger. */
async function submitFirstEnrolment() {
  const act = kit.ledger.prepare({
    type: 'EnrolPerson',
    data: { personId: 'officer', name: 'Officer', unit: 'S', clearance: 'top-secret', roles: [{ role: 'security-officer' }], publicKey: kit.key('officer').publicKey, enrolledBy: 'officer' },
  });
  const response = await app.request('/acts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(kit.signed(act)) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

describe('readiness over a SQLite ledger', () => {
  it('is ready while the database takes writes', async () => {
    await open();
    expect(await ready()).toMatchObject({ status: 200, body: { ready: true, position: '0' } });
  });

  it('is not ready while another process holds the write lock, and an append then is a 503 that says nothing was written', async () => {
    await open();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const notReady = await ready();
      expect(notReady).toMatchObject({ status: 503, type: 'application/problem+json', body: { reason: 'locked' } });
      expect(Number(notReady.retryAfter)).toBeGreaterThan(0);
      expect(JSON.stringify(notReady.body)).not.toContain(dir);

      const refused = await submitFirstEnrolment();
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ type: 'urn:custody-ledger:problem:store-unavailable', reason: 'locked' });
      expect(refused.body.detail).toMatch(/nothing was written.*again later is safe/);
      expect(await store.headPosition()).toBe(0n);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await ready()).status).toBe(200);
    expect((await submitFirstEnrolment()).status).toBe(201);
    // The lock is an operator's matter: logged with the file's name, not answered to the caller.
    expect(logged.map(String).join('\n')).toContain(path);
  });

  it('is not ready, and refuses appends, when the disk holding the database has less room than the reserve', async () => {
    await open({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const notReady = await ready();
    expect(notReady).toMatchObject({ status: 503, body: { reason: 'disk-full' } });
    expect(notReady.body.detail).toMatch(/disk/);
    const refused = await submitFirstEnrolment();
    expect(refused).toMatchObject({ status: 503, body: { reason: 'disk-full' } });
    expect(await store.headPosition()).toBe(0n);
  });

  it('is not ready while the inbox cannot be written either', async () => {
    const inboxPath = join(dir, 'custody.inbox.db');
    const inbox = createSqliteInbox({ path: inboxPath });
    await open({}, inbox);
    const other = new Database(inboxPath);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(await ready()).toMatchObject({ status: 503, body: { reason: 'locked' } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await ready()).status).toBe(200);
    await inbox.close();
  });
});
