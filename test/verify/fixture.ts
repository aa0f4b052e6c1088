import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import type { EventStore } from '../../src/store/port.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createCheckpointer, type LedgerKey } from '../../src/verify/checkpoint/checkpointer.js';
import type { TrustedKey } from '../../src/verify/note/keys.js';
import { createKit, LEDGER_ID, type Kit } from '../ledger/kit.js';

/**
 * A small office's ledger built through the real ledger API with real Ed25519 keys: the cast
 * enrolled, two carriers registered, a duty handover covering both (a batch act), hand-overs of C1,
 * a copy of C1 made under an approved request, and a key rotation. Then the ledger's checkpointer.
 */
export async function buildOffice(store: EventStore = createMemoryStore()) {
  const kit = await createKit(store);
  await kit.enrolCast();
  await kit.register('C1');
  await kit.register('C2');
  await kit.perform({ type: 'HandOverDuty', data: { carrierIds: ['C1', 'C2'], location: 'R1/safe-1', outgoing: 'clerk1', incoming: 'clerk2' } });
  await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk2', 'reader1')));
  await kit.perform({ type: 'RequestCopies', data: { carrierId: 'C1', requestId: 'CR-1', copies: 1, reason: 'for the planning group', requestedBy: 'reader1' } });
  await kit.perform({ type: 'ApproveCopies', data: { carrierId: 'C1', requestId: 'CR-1', approvedBy: 'unitHead' } });
  await kit.perform({
    type: 'MakeCopies',
    data: { carrierId: 'C1', requestId: 'CR-1', copies: [{ carrierId: 'C1-copy-1', copyNumber: 1 }], holder: 'clerk2', location: 'R1/safe-2', madeBy: 'reader1' },
  });
  await kit.ledger.submit(kit.signed(kit.transfer('C1', 'reader1', 'reader2')));
  await rotateKey(kit, 'clerkB');
  const ledgerKey: LedgerKey = { ledgerId: LEDGER_ID, ...generateKeyPair() };
  const checkpointer = await createCheckpointer({ store, ledgerKey, clock: kit.clock });
  return { store, kit, ledgerKey, checkpointer, trust: { trustedLedgerKeys: [trustedLedgerKey(ledgerKey)] } };
}

export type Office = Awaited<ReturnType<typeof buildOffice>>;

/** What the investigator holds: the ledger's public key, and nothing else. */
export const trustedLedgerKey = (key: LedgerKey): TrustedKey => ({ name: key.ledgerId, publicKey: key.publicKey, algorithm: 1 });

/** The person rotates to a fresh key, signing the rotation with the old one (as the ledger requires). */
export async function rotateKey(kit: Kit, personId: string) {
  const fresh = generateKeyPair();
  const act = kit.ledger.prepare({ type: 'RotatePersonKey', data: { personId, publicKey: fresh.publicKey, rotatedBy: personId } });
  await kit.ledger.submit(kit.signed(act));
  return fresh;
}

/** A deep copy to tamper with, so each test starts from the untouched bundle. */
export const copyOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

let copies = 0;

/** A fresh copy of a ledger file beside it, edited with SQL the way someone with the database could. */
export function editedCopyOf(template: string, sql: (db: Database.Database) => void = () => undefined): string {
  const path = `${template}.copy-${copies++}.db`;
  copyFileSync(template, path);
  const db = new Database(path);
  sql(db);
  db.close();
  return path;
}
