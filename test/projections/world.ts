import type { SignedAct, UnsignedAct } from '../../src/domain/act.js';
import { signatureOf } from '../../src/ledger/envelope.js';
import type { Role } from '../../src/domain/person/events.js';
import type { Classification, IsoTime } from '../../src/domain/primitives.js';
import { createSigner, generateKeyPair, type Signer } from '../../src/crypto/ed25519.js';
import { createLedger, type Ledger, type SubmitResult } from '../../src/ledger/ledger.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';

/**
 * A ledger with real Ed25519 keys and a clock the test moves, in the manner of test/ledger/kit.ts:
 * every act is prepared by the ledger, signed by each of its signers with their own key, and
 * submitted, so the projections under test fold exactly what a real ledger stores.
 */

export const LEDGER_ID = 'projections-test';

export type Member = { id: string; clearance: Classification; roles: Role[]; name?: string };

export type DescriptionInput = {
  kind?: 'document' | 'disk' | 'draft';
  classification?: Classification;
  registry?: string;
  cipherTelegram?: boolean;
  archive?: boolean;
  title?: string;
  originator?: string;
};

export type World = Awaited<ReturnType<typeof createWorld>>;

export async function createWorld(options: { store?: EventStore; start?: IsoTime } = {}) {
  const store = options.store ?? createMemoryStore();
  let nowMs = Date.parse(options.start ?? '2026-11-23T07:00:00.000Z');
  const clock = (): IsoTime => new Date(nowMs).toISOString();
  const ledger: Ledger = await createLedger({ store, ledgerId: LEDGER_ID, clock });
  const signers = new Map<string, Signer>();
  const names = new Map<string, string>();

  const signerOf = (id: string): Signer => {
    let signer = signers.get(id);
    if (!signer) {
      signer = createSigner(generateKeyPair().secretKey);
      signers.set(id, signer);
    }
    return signer;
  };

  /** The act signed by each of `signers` at the time `signedAt` gives them (default: when it was prepared). */
  const signed = (act: UnsignedAct, signedAt: (signer: string) => IsoTime = () => act.time, signers = act.signers): SignedAct => ({
    act,
    signatures: signers.map((signer) =>
      signatureOf(act, signer, signerOf(signer).publicKey, (bytes) => signerOf(signer).sign(bytes), signedAt(signer)),
    ),
  });

  /** Prepares the command at `time` (default: now), has every signer sign it, submits it. */
  const perform = (type: string, data: Record<string, unknown>, time: IsoTime = clock()): Promise<SubmitResult> =>
    ledger.submit(signed(ledger.prepare({ type, data }, time)));

  const world = {
    store,
    ledger,
    clock,
    perform,
    signed,
    /** Moves the clock to `time` (never backwards: the ledger's streams only move forward). */
    at(time: IsoTime): IsoTime {
      const ms = Date.parse(time);
      if (ms < nowMs) throw new Error(`the test clock cannot go back from ${clock()} to ${time}`);
      nowMs = ms;
      return time;
    },
    advanceMinutes(minutes: number): IsoTime {
      nowMs += minutes * 60_000;
      return clock();
    },
    nameOf: (id: string) => names.get(id) ?? `Name of ${id}`,

    async enrol(member: Member, by = 'officer'): Promise<SubmitResult> {
      const name = member.name ?? `Name of ${member.id}`;
      names.set(member.id, name);
      return perform('EnrolPerson', {
        personId: member.id,
        name,
        unit: 'Unit 1',
        clearance: member.clearance,
        roles: member.roles,
        publicKey: signerOf(member.id).publicKey,
        enrolledBy: by,
      });
    },

    /** The first member must be a security officer: they enrol themself, then everyone else. */
    async enrolAll(members: Member[]): Promise<void> {
      const [first, ...rest] = members;
      if (!first) return;
      await world.enrol(first, first.id);
      for (const member of rest) await world.enrol(member, first.id);
    },

    register(carrierId: string, clerk: string, d: DescriptionInput = {}, holder = clerk, location = `${d.registry ?? 'R1'}/safe-1`) {
      return perform('RegisterCarrier', {
        carrierId,
        description: {
          kind: d.kind ?? 'document',
          classification: d.classification ?? 'secret',
          title: d.title ?? `Document ${carrierId}`,
          originator: d.originator ?? 'Central Office',
          reference: `CO-${carrierId}`,
          copyNumber: 1,
          itemCount: 3,
          registry: d.registry ?? 'R1',
          cipherTelegram: d.cipherTelegram ?? false,
          archive: d.archive ?? false,
        },
        holder,
        location,
        registeredBy: clerk,
      });
    },

    transfer: (carrierId: string, giver: string, receiver: string, location: string) =>
      perform('TransferCustody', { carrierId, giver, receiver, location }),
  };
  return world;
}

/** The error `attempt` throws, or undefined if it throws none: for asserting on a refusal's fields. */
export function caught(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}
