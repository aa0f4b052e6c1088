import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UnsignedAct } from '../../src/domain/act.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createSqliteInbox } from '../../src/inbox/sqlite.js';
import type { Inbox, PendingActRecord } from '../../src/inbox/port.js';

const act = (n: number, signers: string[]): UnsignedAct => ({
  v: 1,
  ledger: 'test-ledger',
  command: { type: 'TransferCustody', data: { carrierId: `C${n}` } },
  time: '2026-11-23T09:00:00.000Z',
  signers,
  events: [{ stream: `carrier-C${n}`, revision: 1, prevHash: 'a'.repeat(64), type: 'CustodyTransferred', data: {} }],
});

const record = (n: number, missing: string[], createdAt = `2026-11-23T09:0${n}:00.000Z`): PendingActRecord => ({
  actId: String(n).repeat(64).slice(0, 64),
  act: act(n, ['clerk1', ...missing]),
  signatures: [],
  missing,
  status: 'pending',
  requestedBy: 'clerk1',
  createdAt,
  expiresAt: '2026-11-26T09:00:00.000Z',
  closedAt: null,
  declinedBy: null,
  reason: null,
  events: null,
});

function inboxContract(name: string, open: () => { inbox: Inbox; cleanup(): void }) {
  describe(`${name} inbox`, () => {
    let opened: ReturnType<typeof open> | undefined;
    afterEach(async () => {
      await opened?.inbox.close();
      opened?.cleanup();
    });

    it('keeps a record as saved and replaces it on the next save', async () => {
      opened = open();
      const first = record(1, ['reader1']);
      await opened.inbox.save(first);
      expect(await opened.inbox.get(first.actId)).toEqual(first);
      const appended = { ...first, status: 'appended' as const, missing: [], closedAt: '2026-11-23T10:00:00.000Z' };
      await opened.inbox.save(appended);
      expect(await opened.inbox.get(first.actId)).toEqual(appended);
      expect(await opened.inbox.get('f'.repeat(64))).toBeUndefined();
    });

    it('lists the pending acts that miss a person\'s signature, oldest first, and no closed ones', async () => {
      opened = open();
      await opened.inbox.save(record(3, ['reader1', 'courier1']));
      await opened.inbox.save(record(1, ['reader1']));
      await opened.inbox.save(record(2, ['courier1']));
      await opened.inbox.save({ ...record(4, ['reader1']), status: 'declined' });
      expect((await opened.inbox.awaiting('reader1')).map((r) => r.actId[0])).toEqual(['1', '3']);
      expect((await opened.inbox.awaiting('courier1')).map((r) => r.actId[0])).toEqual(['3', '2'].sort());
      await opened.inbox.save({ ...record(3, ['courier1']) });
      expect((await opened.inbox.awaiting('reader1')).map((r) => r.actId[0])).toEqual(['1']);
    });

    it('hands out copies: changing a record read back does not change what is stored', async () => {
      opened = open();
      const saved = record(1, ['reader1']);
      await opened.inbox.save(saved);
      const read = await opened.inbox.get(saved.actId);
      read!.missing.push('mallory');
      saved.missing.push('mallory');
      expect((await opened.inbox.get(saved.actId))!.missing).toEqual(['reader1']);
    });
  });
}

inboxContract('memory', () => ({ inbox: createMemoryInbox(), cleanup: () => undefined }));

inboxContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custody-inbox-'));
  return { inbox: createSqliteInbox({ path: join(dir, 'custody.inbox.db') }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SQLite inbox file', () => {
  it('keeps pending acts across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-inbox-'));
    try {
      const path = join(dir, 'custody.inbox.db');
      const first = createSqliteInbox({ path });
      await first.save(record(1, ['reader1']));
      await first.close();
      const second = createSqliteInbox({ path });
      expect((await second.awaiting('reader1')).map((r) => r.act.command.type)).toEqual(['TransferCustody']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
