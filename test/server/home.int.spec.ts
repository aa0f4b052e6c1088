import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyFromSecret } from '../../src/crypto/ed25519.js';
import { inboxPathFor, ledgerIdOf, openLedgerHome } from '../../src/server/home.js';
import { parseServerArgs } from '../../src/server/main.js';
import { createWriteModel, foldRecorded } from '../../src/ledger/write-model.js';
import { createKit } from '../ledger/kit.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-home-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openLedgerHome', () => {
  it('creates the directory, the ledger key (mode 0600) and the stores on first start, and reads the same key back later', async () => {
    const dbPath = join(dir, 'nested', 'data', 'custody.db');
    const first = await openLedgerHome({ dbPath });
    expect(first.created).toBe(true);
    const keyPath = join(dir, 'nested', 'data', 'ledger-key.json');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(keyPath, 'utf8'));
    expect(file).toEqual({ ledgerId: first.ledgerId, ...first.ledgerKey, ledgerFile: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(first.ledgerId).toBe(ledgerIdOf(first.ledgerKey.publicKey));
    expect(first.ledgerId).toMatch(/^ledger-[0-9a-f]{16}$/);
    expect(publicKeyFromSecret(first.ledgerKey.secretKey)).toBe(first.ledgerKey.publicKey);
    expect(first.ledger.ledgerId).toBe(first.ledgerId);
    await first.close();

    const second = await openLedgerHome({ dbPath });
    expect(second.created).toBe(false);
    expect(second.ledgerId).toBe(first.ledgerId);
    await second.close();
  });

  it('refuses a key file that others can read, saying how to fix it', async () => {
    const dbPath = join(dir, 'custody.db');
    await (await openLedgerHome({ dbPath })).close();
    chmodSync(join(dir, 'ledger-key.json'), 0o644);
    await expect(openLedgerHome({ dbPath })).rejects.toThrow(/readable by others \(mode 0644\).*chmod 600/);
  });

  it('refuses to invent a new key for a ledger that already holds events', async () => {
    const dbPath = join(dir, 'custody.db');
    const home = await openLedgerHome({ dbPath });
    const kit = await createKit(home.store);
    await kit.enrol({ id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] });
    await home.close();
    unlinkSync(join(dir, 'ledger-key.json'));
    await expect(openLedgerHome({ dbPath })).rejects.toThrow(/key file .* is missing/);
  });

  it('rebuilds the write model from the file and keeps the inbox beside it', async () => {
    const dbPath = join(dir, 'custody.db');
    expect(inboxPathFor(dbPath)).toBe(join(dir, 'custody.inbox.db'));
    const home = await openLedgerHome({ dbPath });
    await createKit(home.store).then((kit) => kit.enrol({ id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] }));
    await home.close();
    // Written through another ledger over the same file; a fresh open must see it.
    const again = await openLedgerHome({ dbPath });
    expect(again.ledger.model.directory.has('officer')).toBe(true);
    await again.close();
  });

  it('folds the write model in the projections\' read of the log, to the same state as a fold of its own', async () => {
    const dbPath = join(dir, 'custody.db');
    const home = await openLedgerHome({ dbPath });
    const kit = await createKit(home.store);
    await kit.enrolCast();
    for (const id of ['C1', 'C2', 'C3']) await kit.register(id);
    await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk1', 'reader1')));
    await home.close();
    const again = await openLedgerHome({ dbPath });
    const own = createWriteModel();
    for (const recorded of await again.store.readAll()) foldRecorded(own, recorded);
    expect(again.ledger.model).toEqual(own);
    expect(again.projections.position).toBe(own.position);
    expect(again.projections.where('C1').holders).toEqual(['reader1']);
    await again.close();
  });
});

describe('server arguments', () => {
  it('flags win over environment variables, which win over defaults', () => {
    expect(parseServerArgs([], {})).toEqual({ dbPath: './data/custody.db', host: '127.0.0.1', port: 8080 });
    expect(parseServerArgs([], { CUSTODY_DB: '/srv/l.db', CUSTODY_HOST: '0.0.0.0', CUSTODY_PORT: '9000' })).toEqual({
      dbPath: '/srv/l.db',
      host: '0.0.0.0',
      port: 9000,
    });
    expect(parseServerArgs(['--port', '0', '--db', 'x.db'], { CUSTODY_PORT: '9000' })).toEqual({ dbPath: 'x.db', host: '127.0.0.1', port: 0 });
  });

  it('refuses a port that is not a port, and unknown flags', () => {
    expect(() => parseServerArgs(['--port', '99999'], {})).toThrow(/--port must be a whole number/);
    expect(() => parseServerArgs([], { CUSTODY_PORT: 'eighty' })).toThrow(/--port/);
    expect(() => parseServerArgs(['--verbose'], {})).toThrow(/verbose/);
  });
});
