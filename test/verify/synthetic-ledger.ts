import { carrierStream, type UnsignedAct } from '../../src/domain/act.js';
import type { CarrierCommand } from '../../src/domain/carrier/commands.js';
import { decideCarrier } from '../../src/domain/carrier/decide.js';
import { evolveCarrier, type RecordedCarrierEvent } from '../../src/domain/carrier/evolve.js';
import { initialCarrierState, type CarrierState } from '../../src/domain/carrier/state.js';
import { defaultPolicy } from '../../src/domain/policy/policy.js';
import { createSigner, generateKeyPair, type Signer } from '../../src/crypto/ed25519.js';
import { actIdOf, appendRequestsFor, signatureOf } from '../../src/ledger/envelope.js';
import type { AppendRequest } from '../../src/store/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createCheckpointer, type LedgerKey } from '../../src/verify/checkpoint/checkpointer.js';
import { createKit, LEDGER_ID } from '../ledger/kit.js';
import { trustedLedgerKey } from './fixture.js';

const BATCH = 4_000;

/**
 * A large ledger for benchmarks, written fast but valid in every respect the verifier checks: the
 * office is enrolled through the real ledger API, then carriers go through register → request copies
 * → approve → request again, each act decided by the real deciders, signed with the real key of its
 * one signer (node:crypto), chained, and appended to SQLite in big atomic batches (bypassing the
 * handler's one-by-one checks, which would take as long as verifying). Then a real checkpoint.
 */
export async function writeSyntheticLedger(path: string, events: number) {
  const store = createSqliteStore({ path });
  try {
    const kit = await createKit(store);
    await kit.enrolCast();
    const directory = kit.ledger.model.directory;
    const signers = new Map<string, Signer>();
    const signerOf = (id: string) => {
      const signer = signers.get(id) ?? createSigner(kit.key(id).secretKey);
      signers.set(id, signer);
      return signer;
    };
    let clock = Date.parse('2026-11-24T08:00:00.000Z');
    let pending: AppendRequest[] = [];
    let written = 0;
    const carriers = Math.ceil(events / 4);
    for (let c = 0; c < carriers && written < events; c++) {
      const carrierId = `S${c}`;
      let state: CarrierState = initialCarrierState();
      let prevHash: string | null = null;
      for (const [command, signer] of lifeOf(carrierId)) {
        if (written >= events) break;
        const time = new Date((clock += 1)).toISOString();
        const [decided] = decideCarrier(command, new Map([[carrierId, state]]), { now: time, policy: defaultPolicy, persons: directory });
        const event = decided!.event;
        const revision: number = state.status === 'none' ? 0 : state.version;
        const act: UnsignedAct = {
          v: 1,
          ledger: LEDGER_ID,
          command: command as unknown as UnsignedAct['command'],
          time,
          signers: [signer],
          events: [{ stream: carrierStream(carrierId), revision, prevHash, type: event.type, data: event.data as Record<string, unknown> }],
        };
        const signature = signatureOf(act, signer, kit.key(signer).publicKey, (bytes) => signerOf(signer).sign(bytes), time);
        const requests = appendRequestsFor(act, actIdOf(act), [signature]);
        prevHash = String(requests[0]!.events[0]!.metadata!['hash']);
        pending.push(...requests);
        state = evolveCarrier(state, { ...event, time } as RecordedCarrierEvent);
        written++;
        if (pending.length >= BATCH) {
          await store.appendMany(pending);
          pending = [];
        }
      }
    }
    if (pending.length > 0) await store.appendMany(pending);
    const ledgerKey: LedgerKey = { ledgerId: LEDGER_ID, ...generateKeyPair() };
    const checkpointer = await createCheckpointer({ store, ledgerKey });
    const { checkpoint } = await checkpointer.checkpoint();
    return { ledgerKey, trust: { trustedLedgerKeys: [trustedLedgerKey(ledgerKey)] }, size: checkpoint.size, synthetic: written };
  } finally {
    await store.close();
  }
}

/** A carrier's short life, each act signed by one person (so events verified ≈ signatures verified). */
function lifeOf(carrierId: string): Array<[CarrierCommand, string]> {
  return [
    [
      {
        type: 'RegisterCarrier',
        data: {
          carrierId,
          description: { kind: 'document', classification: 'secret', title: `Report ${carrierId}`, originator: 'Central Office', reference: `CO-${carrierId}`, copyNumber: 1, itemCount: 3, registry: 'R1' },
          holder: 'clerk1',
          location: 'R1/safe-1',
          registeredBy: 'clerk1',
        },
      } as CarrierCommand,
      'clerk1',
    ],
    [{ type: 'RequestCopies', data: { carrierId, requestId: 'CR-1', copies: 2, reason: 'for the planning group', requestedBy: 'clerk1' } }, 'clerk1'],
    [{ type: 'ApproveCopies', data: { carrierId, requestId: 'CR-1', approvedBy: 'unitHead' } }, 'unitHead'],
    [{ type: 'RequestCopies', data: { carrierId, requestId: 'CR-2', copies: 1, reason: 'for the archive', requestedBy: 'reader2' } }, 'reader2'],
  ];
}
