import { actSigningBytes, type ActSignature, type SignedAct, type UnsignedAct } from '../../src/domain/act.js';
import type { Role } from '../../src/domain/person/events.js';
import type { Classification, IsoTime } from '../../src/domain/primitives.js';
import { createSigner, generateKeyPair, type KeyPair, type Signer } from '../../src/crypto/ed25519.js';
import type { BatchVerifier } from '../../src/crypto/verifier-pool.js';
import { createLedger, type Ledger } from '../../src/ledger/ledger.js';
import { signatureOf as signatureAt } from '../../src/ledger/envelope.js';
import type { EventStore } from '../../src/store/port.js';

export const LEDGER_ID = 'test-ledger';

/** A clock that moves one second per reading, so every act has its own time. */
export function steppingClock(start = '2026-11-23T09:00:00.000Z') {
  let ms = Date.parse(start);
  const clock = () => new Date((ms += 1000)).toISOString();
  return Object.assign(clock, { advanceHours: (h: number) => void (ms += h * 3_600_000) });
}

export type Member = { id: string; clearance: Classification; roles: Role[] };

/** The people of an office, each with a real Ed25519 key. */
export const cast: Member[] = [
  { id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] },
  { id: 'clerk1', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R1' }] },
  { id: 'clerk2', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R1' }] },
  { id: 'clerkB', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R2' }] },
  { id: 'reader1', clearance: 'secret', roles: [] },
  { id: 'reader2', clearance: 'top-secret', roles: [] },
  { id: 'courier1', clearance: 'top-secret', roles: [{ role: 'courier' }] },
  { id: 'courier2', clearance: 'top-secret', roles: [{ role: 'courier' }] },
  { id: 'originAuth', clearance: 'top-secret', roles: [{ role: 'approver', authority: 'originating-authority', originators: ['Central Office'] }] },
  { id: 'unitHead', clearance: 'top-secret', roles: [{ role: 'approver', authority: 'unit-head' }] },
];

export type Kit = Awaited<ReturnType<typeof createKit>>;

export async function createKit(store: EventStore, clock = steppingClock(), verifier?: BatchVerifier) {
  const keys = new Map<string, KeyPair>(cast.map((m) => [m.id, generateKeyPair()]));
  let ledger: Ledger = await createLedger({ store, ledgerId: LEDGER_ID, clock, verifier });

  const key = (id: string): KeyPair => {
    const pair = keys.get(id) ?? generateKeyPair();
    keys.set(id, pair);
    return pair;
  };

  /** Parsing a secret key costs more than signing with it: one signer per key. */
  const signers = new Map<string, Signer>();
  const signerFor = (pair: KeyPair): Signer => {
    const signer = signers.get(pair.secretKey) ?? createSigner(pair.secretKey);
    signers.set(pair.secretKey, signer);
    return signer;
  };

  /** The signature `signer` makes over `act` with their key, at `signedAt` (default: when it was prepared). */
  const signatureOf = (act: UnsignedAct, signer: string, pair = key(signer), signedAt: string = act.time): ActSignature => {
    const s = signerFor(pair);
    return signatureAt(act, signer, pair.publicKey, (bytes) => s.sign(bytes), signedAt);
  };

  /** The v1 signature (no time, over the act's bytes) that ledgers wrote before signatures carried their time. */
  const v1SignatureOf = (act: UnsignedAct, signer: string, pair = key(signer)): ActSignature => ({
    signer,
    publicKey: pair.publicKey,
    signature: signerFor(pair).sign(actSigningBytes(act)),
  });

  const signed = (act: UnsignedAct, signers: string[] = act.signers): SignedAct => ({
    act,
    signatures: signers.map((s) => signatureOf(act, s)),
  });

  /** Prepare, have every required signer sign, submit. */
  const perform = async (command: unknown) => ledger.submit(signed(ledger.prepare(command)));

  const enrol = (member: Member, by = 'officer') =>
    perform({
      type: 'EnrolPerson',
      data: {
        personId: member.id,
        name: `Name of ${member.id}`,
        unit: 'Unit 1',
        clearance: member.clearance,
        roles: member.roles,
        publicKey: key(member.id).publicKey,
        enrolledBy: by,
      },
    });

  /** The first security officer enrols themself, then enrols everyone else. */
  const enrolCast = async () => {
    await enrol(cast[0]!, 'officer');
    for (const member of cast.slice(1)) await enrol(member);
  };

  const register = (carrierId: string, classification: Classification = 'secret', holder = 'clerk1') =>
    perform({
      type: 'RegisterCarrier',
      data: {
        carrierId,
        description: {
          kind: 'document',
          classification,
          title: `Document ${carrierId}`,
          originator: 'Central Office',
          reference: `CO-${carrierId}`,
          copyNumber: 1,
          itemCount: 3,
          registry: 'R1',
        },
        holder,
        location: 'R1/safe-1',
        registeredBy: 'clerk1',
      },
    });

  const transfer = (carrierId: string, giver: string, receiver: string, time?: IsoTime) =>
    ledger.prepare({ type: 'TransferCustody', data: { carrierId, giver, receiver, location: 'Office 12' } }, time);

  return {
    get ledger() {
      return ledger;
    },
    /** A new ledger over the same store: what a restart sees. */
    async restart() {
      ledger = await createLedger({ store, ledgerId: LEDGER_ID, clock, verifier });
      return ledger;
    },
    clock,
    key,
    signatureOf,
    v1SignatureOf,
    signed,
    perform,
    enrol,
    enrolCast,
    register,
    transfer,
  };
}
