import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { actSigningBytes, type SignedAct } from '../../src/domain/act.js';
import { createSigner, generateKeyPair, type KeyPair } from '../../src/crypto/ed25519.js';
import { openLedgerHome, type LedgerHome } from '../../src/server/home.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';

/**
 * A ledger directory as the server leaves it, and the edits an attacker (or a careless restore)
 * makes to its files: for the tamper tests of issue 16 (holes 2, 3) and issue 18 (item 3).
 */
export const ledgerFiles = (dir: string) => ({
  db: join(dir, 'custody.db'),
  key: join(dir, 'ledger-key.json'),
  state: join(dir, 'ledger-state.json'),
  inbox: join(dir, 'custody.inbox.db'),
});

/** Persons enrolled through the home's own ledger (the acts name its ledger id), each with a key. */
export function enroller(home: LedgerHome, keys = new Map<string, KeyPair>()) {
  const keyOf = (id: string) => keys.get(id) ?? keys.set(id, generateKeyPair()).get(id)!;
  const sign = (act: SignedAct['act']): SignedAct => ({
    act,
    signatures: act.signers.map((signer) => ({
      signer,
      publicKey: keyOf(signer).publicKey,
      signature: createSigner(keyOf(signer).secretKey).sign(actSigningBytes(act)),
    })),
  });
  return {
    keys,
    keyOf,
    sign,
    async enrol(personId: string, roles: unknown[] = []) {
      const founding = home.ledger.model.directory.size === 0;
      const act = home.ledger.prepare({
        type: 'EnrolPerson',
        data: {
          personId,
          name: `Person ${personId}`,
          unit: 'Registry',
          clearance: 'top-secret',
          roles: founding ? [{ role: 'security-officer' }] : roles,
          publicKey: keyOf(personId).publicKey,
          enrolledBy: founding ? personId : 'officer',
        },
      });
      return home.ledger.submit(sign(act));
    },
  };
}

/** A ledger with an officer and `people` more persons, and a checkpoint signed over them (remembered beside the key). */
export async function usedLedger(dir: string, people = 3) {
  const home = await openLedgerHome({ dbPath: ledgerFiles(dir).db });
  const persons = enroller(home);
  await persons.enrol('officer');
  for (let i = 1; i <= people; i++) await persons.enrol(`p${i}`);
  const checkpointer = await createCheckpointer({ store: home.store, ledgerKey: { ledgerId: home.ledgerId, ...home.ledgerKey }, log: home.log, memory: home.signedMemory });
  const signed = await checkpointer.checkpoint();
  return { home, persons, checkpointer, signed };
}

/** Runs SQL on a closed ledger file, as someone with the file (and sqlite3) would. */
export function editFile(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** A copy of the ledger file as a backup would hold it (WAL folded in first: the ledger is closed). */
export function backUp(path: string, to: string): void {
  copyFileSync(path, to);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${to}-wal`);
}
