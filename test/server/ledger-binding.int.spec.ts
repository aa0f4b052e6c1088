import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerHome } from '../../src/server/home.js';
import { createApp } from '../../src/api/app.js';
import { editFile, enroller, ledgerFiles, usedLedger } from './guard-kit.js';

// Issue 16 hole 3 (the ledger key accepts any file) and issue 18 item 3 (the inbox can vanish).
let dir: string;
let files: ReturnType<typeof ledgerFiles>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-binding-'));
  files = ledgerFiles(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (extra: { newInbox?: boolean } = {}) => openLedgerHome({ dbPath: files.db, ...extra });

async function closedUsedLedger() {
  const { home } = await usedLedger(dir);
  await home.close();
}

describe('the ledger key and its ledger file name each other', () => {
  it('a 0-byte ledger file beside a used key refuses to start, saying what to restore, and the file stays as it was', async () => {
    await closedUsedLedger();
    for (const side of ['', '-wal', '-shm']) if (existsSync(files.db + side)) unlinkSync(files.db + side);
    writeFileSync(files.db, '');
    await expect(open()).rejects.toThrow(/custody\.db is empty \(0 bytes\).*signed a checkpoint of 4 events.*restore custody\.db from your backup/);
    expect(readFileSync(files.db).length).toBe(0);
  });

  it('a missing ledger file beside a used key refuses to start and creates no file', async () => {
    await closedUsedLedger();
    for (const side of ['', '-wal', '-shm']) if (existsSync(files.db + side)) unlinkSync(files.db + side);
    await expect(open()).rejects.toThrow(/custody\.db is missing, but .*ledger-key\.json belongs to ledger ledger-[0-9a-f]{16}.*restore custody\.db/);
    expect(existsSync(files.db)).toBe(false);
  });

  it('another ledger\'s key file (with its state file) is refused: the ledger file names its own ledger', async () => {
    await closedUsedLedger();
    const other = mkdtempSync(join(tmpdir(), 'custody-other-'));
    try {
      await (await openLedgerHome({ dbPath: join(other, 'custody.db') })).close();
      copyFileSync(join(other, 'ledger-key.json'), files.key);
      await expect(open()).rejects.toThrow(/ledger-state\.json belongs to ledger .* not to the key/);
      copyFileSync(join(other, 'ledger-state.json'), files.state);
      await expect(open()).rejects.toThrow(/custody\.db is the file of ledger (ledger-\w+), but .*ledger-key\.json is the key of ledger (?!\1)/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('another file of the same ledger (a fresh one with the identity copied in by hand) is refused by its file id', async () => {
    await closedUsedLedger();
    editFile(files.db, "UPDATE custody_file_identity SET file_id = '00000000000000000000000000000000' WHERE role = 'ledger'");
    await expect(open()).rejects.toThrow(/is a different file of ledger .* than the one its key is bound to/);
  });

  it('a missing ledger-state.json beside a bound key is refused: it holds what the key signed', async () => {
    await closedUsedLedger();
    unlinkSync(files.state);
    await expect(open()).rejects.toThrow(/ledger-state\.json is missing: .*restore it from the backup/);
  });

  it('a ledger directory written before keys were bound still starts, and is bound on first open', async () => {
    await closedUsedLedger();
    // As today's code leaves it: a key of three fields, no state file, no identity rows.
    const key = JSON.parse(readFileSync(files.key, 'utf8')) as Record<string, unknown>;
    delete key['ledgerFile'];
    writeFileSync(files.key, JSON.stringify(key), { mode: 0o600 });
    unlinkSync(files.state);
    editFile(files.db, 'DROP TABLE custody_file_identity');
    editFile(files.inbox, 'DROP TABLE custody_file_identity');
    const home = await open();
    expect(home.warnings.join('\n')).toMatch(/is now bound to/);
    expect(home.ledger.model.directory.size).toBe(4);
    await home.close();
    expect(JSON.parse(readFileSync(files.key, 'utf8'))).toMatchObject({ ledgerFile: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(JSON.parse(readFileSync(files.state, 'utf8'))).toMatchObject({ ledgerId: key['ledgerId'], ledgerFile: expect.any(String) });
    await (await open()).close();
  });

  it('an unbound (old) key beside a ledger whose acts name another ledger is refused', async () => {
    await closedUsedLedger();
    const other = mkdtempSync(join(tmpdir(), 'custody-other-'));
    try {
      await (await openLedgerHome({ dbPath: join(other, 'custody.db') })).close();
      const key = JSON.parse(readFileSync(join(other, 'ledger-key.json'), 'utf8')) as Record<string, unknown>;
      delete key['ledgerFile'];
      writeFileSync(files.key, JSON.stringify(key), { mode: 0o600 });
      unlinkSync(files.state);
      editFile(files.db, 'DROP TABLE custody_file_identity');
      await expect(open()).rejects.toThrow(/holds the acts of ledger .* but .* is the key of ledger/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('the first security officer enrols without a token only on a new ledger', () => {
  it('is open on a new ledger, and closed once anyone is enrolled', async () => {
    const home = await open();
    expect(home.firstEnrolmentOpen()).toBe(true);
    await enroller(home).enrol('officer');
    expect(home.firstEnrolmentOpen()).toBe(false);
    await home.close();
  });

  it('never on a ledger whose key signed a checkpoint over events, even with nobody in the directory', async () => {
    const { home } = await usedLedger(dir);
    // The directory emptied under the API (as a swapped file would leave it): the key's memory still says no.
    home.ledger.model.directory.clear();
    expect(home.firstEnrolmentOpen()).toBe(false);
    const app = createApp({ home });
    const response = await app.request('/acts/prepare', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: { type: 'EnrolPerson', data: {} } }) });
    expect(response.status).toBe(401);
    await home.close();
  });
});

describe('the inbox is checked like the ledger file (issue 18 item 3)', () => {
  it('a missing inbox refuses to start, saying what would be lost and how to go on', async () => {
    await closedUsedLedger();
    for (const side of ['', '-wal', '-shm']) if (existsSync(files.inbox + side)) unlinkSync(files.inbox + side);
    await expect(open()).rejects.toThrow(/custody\.inbox\.db is missing: acts waiting for co-signatures .* --new-inbox/);
    expect(existsSync(files.inbox)).toBe(false);
    const home = await open({ newInbox: true });
    expect(home.warnings.join('\n')).toMatch(/WARNING: .*custody\.inbox\.db is missing; started with --new-inbox: acts that were waiting .* are lost/);
    await home.close();
    await (await open()).close();
  });

  it('another ledger\'s inbox is refused, even with --new-inbox', async () => {
    await closedUsedLedger();
    const other = mkdtempSync(join(tmpdir(), 'custody-other-'));
    try {
      await (await openLedgerHome({ dbPath: join(other, 'custody.db') })).close();
      copyFileSync(join(other, 'custody.inbox.db'), files.inbox);
      for (const side of ['-wal', '-shm']) if (existsSync(files.inbox + side)) unlinkSync(files.inbox + side);
      await expect(open({ newInbox: true })).rejects.toThrow(/custody\.inbox\.db is the inbox of ledger .*, not of/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('an inbox emptied to 0 bytes is refused like a missing one', async () => {
    await closedUsedLedger();
    for (const side of ['-wal', '-shm']) if (existsSync(files.inbox + side)) unlinkSync(files.inbox + side);
    writeFileSync(files.inbox, '');
    await expect(open()).rejects.toThrow(/custody\.inbox\.db is empty \(0 bytes\): acts waiting/);
  });
});
