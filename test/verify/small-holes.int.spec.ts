import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { ledgerIdOf } from '../../src/server/home.js';
import { missingRevisions } from '../../src/verify/issues.js';
import { createApiKit } from '../api/kit.js';
import { run, scratchDir } from '../cli/harness.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { verifierKeyText } from '../../src/verify/note/keys.js';
import { buildOffice, editedCopyOf } from './fixture.js';

// Issue 16 hole 7: the small ones.
describe('issue 16, hole 7', () => {
  it('a stream that goes back is said as such, never as "revisions 5..-1 are missing"', () => {
    expect(missingRevisions('carrier-C1', 5, -1)).toBe('carrier-C1 goes back to revision 0 after revision 4: a revision repeats or is out of order');
    expect(missingRevisions('carrier-C1', 2, 4)).toBe('revisions 2..4 of carrier-C1 are missing');
    expect(missingRevisions('carrier-C1', 2, 2)).toBe('revision 2 of carrier-C1 is missing');
  });

  it("a security officer asking for a bundle whose lineage names a missing stream is told the stream is missing, not that they may not see it", async () => {
    const api = await createApiKit();
    await api.kit.perform({ type: 'RequestCopies', data: { carrierId: 'C1', requestId: 'CR-1', copies: 1, reason: 'for the file', requestedBy: 'clerk1' } });
    await api.kit.perform({ type: 'ApproveCopies', data: { carrierId: 'C1', requestId: 'CR-1', approvedBy: 'unitHead' } });
    await api.kit.perform({
      type: 'MakeCopies',
      data: { carrierId: 'C1', requestId: 'CR-1', copies: [{ carrierId: 'C1-2', copyNumber: 2 }], holder: 'clerk1', location: 'R1/safe-1', madeBy: 'clerk1' },
    });
    // As the write model is after a start over a file whose copy stream was deleted.
    api.kit.ledger.model.carriers.delete('C1-2');
    const reply = await api.call('GET', '/carriers/C1/bundle', { token: await api.login('officer') });
    expect(reply).toMatchObject({ status: 500, body: { detail: expect.stringMatching(/names carrier C1-2, whose stream is missing from the ledger/) } });
    expect(reply.body.detail).not.toMatch(/may not see/);
    api.unexpected.length = 0;
  });

  it('custody verify --ledger reports a copy whose stream was dropped whole, as the bundle verifier does', async () => {
    const { dir, cleanup } = await scratchDir();
    try {
      const path = join(dir, 'ledger.db');
      const store = createSqliteStore({ path });
      const office = await buildOffice(store);
      await office.checkpointer.checkpoint();
      await store.close();
      await writeFile(join(dir, 'ledger.pub'), verifierKeyText(office.ledgerKey.ledgerId, office.ledgerKey.publicKey, 'ledger'));
      const args = (file: string) => ['verify', '--ledger', '--db', file, '--trust', 'ledger.pub', '--workers', '1'];
      expect((await run(args('ledger.db'), { cwd: dir })).code).toBe(0);
      const dropped = editedCopyOf(path, (db) => db.exec("DELETE FROM events WHERE stream = 'carrier-C1-copy-1'"));
      const verified = await run(args(dropped), { cwd: dir });
      expect(verified.code).toBe(1);
      expect(verified.stdout).toMatch(/^FAIL {2}missing-stream carrier-C1@\d+ \(position \d+\): carrier-C1-copy-1 is not in the ledger file, but it is a copy made in carrier-C1/m);
    } finally {
      await cleanup();
    }
  });

  it('custody witness init --trust takes a bare public key (the README\'s ledger.pub): the ledger id is derived from it', async () => {
    const { dir, cleanup } = await scratchDir();
    try {
      const ledger = generateKeyPair();
      await writeFile(join(dir, 'ledger.pub'), `${ledger.publicKey}\n`);
      expect((await run(['keygen', '--no-passphrase', '--out', 'witness.key'], { cwd: dir })).code).toBe(0);
      const init = await run(['witness', 'init', '--state', 'state.json', '--key', 'witness.key', '--name', 'audit-office', '--trust', 'ledger.pub'], { cwd: dir });
      expect(init.code, init.stderr).toBe(0);
      expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))).toMatchObject({ origin: ledgerIdOf(ledger.publicKey) });
    } finally {
      await cleanup();
    }
  });
});
