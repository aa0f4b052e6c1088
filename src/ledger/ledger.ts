import { actSigningBytes, SignedAct, type ActSignature, type UnsignedAct } from '../domain/act.js';
import { sha256Hex } from '../crypto/hash.js';
import { ActTimeRefused, MissingSignatures, StaleAct, ValidationError } from '../domain/errors.js';
import { decideLedger } from '../domain/ledger-decider.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, effectiveTimeOf, signedTimeProblem } from '../domain/signed-time.js';
import { POLICY_STREAM, policyInForce } from '../domain/policy/history.js';
import { defaultPolicy, type Policy } from '../domain/policy/policy.js';
import type { IsoTime } from '../domain/primitives.js';
import { inlineBatchVerifier, type BatchVerifier } from '../crypto/verifier-pool.js';
import type { EventStore, Subscription } from '../store/port.js';
import { LedgerCommand, parseWith, type LedgerCommand as Command } from './commands.js';
import { appendRequestsFor, type EventMetadata } from './envelope.js';
import { createGate } from './gate.js';
import { directoryKeys, verifySignatures } from './signatures.js';
import { createWriteModel, foldRecorded, holdingsOf, type WriteModel } from './write-model.js';

export type LedgerOptions = {
  store: EventStore;
  /** This ledger's id: every act names it, so signatures cannot be replayed on another ledger. */
  ledgerId: string;
  /** The policy before any recorded adoption (AdoptPolicy); default: the seed's. */
  policy?: Policy;
  clock?: () => IsoTime;
  /** Default: on the calling thread. The server passes a worker-thread pool. */
  verifier?: BatchVerifier;
  /**
   * How far apart the ledger's clock and a preparer's or signer's may be: how far in the future an
   * act's prepared time or a signature's time may lie, and how long before its preparation one may be signed.
   */
  maxClockSkewMs?: number;
  /**
   * A write model already folded up to its position by another pass over the log (the server folds
   * it during the projections' rebuild: one read of the log, not two). Only the rest is read here.
   */
  model?: WriteModel;
};

export type AppendedEvent = { stream: string; revision: bigint; position: bigint; hash: string };
export type SubmitResult = { actId: string; events: AppendedEvent[]; alreadyRecorded: boolean };

export type Ledger = ReturnType<typeof createLedgerOver>;

/** The command handler: decide against current heads, verify every signature, append atomically. */
export async function createLedger(options: LedgerOptions) {
  const model = options.model ?? createWriteModel();
  // Pages of a thousand: a larger page outlives the young generation and costs more to collect.
  for (let page = await options.store.readAll({ after: model.position, limit: 1_000 }); page.length > 0; ) {
    for (const recorded of page) foldRecorded(model, recorded);
    page = await options.store.readAll({ after: model.position, limit: 1_000 });
  }
  return createLedgerOver(model, options);
}

function createLedgerOver(model: WriteModel, options: LedgerOptions) {
  const { store, ledgerId } = options;
  const basePolicy = options.policy ?? defaultPolicy;
  /** Acts are decided by the policy in force at their own time, however late they are submitted. */
  const policyAt = (time: IsoTime): Policy => policyInForce(model.policies, basePolicy, time);
  const clock = options.clock ?? (() => new Date().toISOString());
  const verifier = options.verifier ?? inlineBatchVerifier();
  const maxSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;

  const head = (stream: string) => model.heads.get(stream);
  const gate = createGate();

  /** Runs the ledger's one decider for `command` at `time` against the current heads and builds the act to sign. */
  function buildAct(command: Command, time: IsoTime): UnsignedAct {
    const decided = decideLedger(command, model, { now: time, basePolicy, holdingsOf: (id) => holdingsOf(model, id) });
    return {
      v: 1,
      ledger: ledgerId,
      command: command as unknown as UnsignedAct['command'],
      time,
      signers: decided.signers,
      events: decided.events.map(({ stream, type, data }) => {
        const h = head(stream);
        return { stream, revision: h ? h.revision + 1 : 0, prevHash: h ? h.hash : null, type, data };
      }),
    };
  }

  function requireCurrent(act: UnsignedAct): void {
    for (const event of act.events) {
      const h = head(event.stream);
      const actual = h ? h.revision + 1 : 0;
      if (event.revision !== actual || event.prevHash !== (h?.hash ?? null)) {
        throw new StaleAct(event.stream, event.revision, actual);
      }
      if (h && act.time < h.preparedTime) {
        throw new ActTimeRefused('before-head', `the act is dated ${act.time}, before ${event.stream}'s last event (${h.preparedTime})`);
      }
    }
  }

  /** A carrier's acts take effect in the order the ledger appends them: the as-of answers depend on it. */
  function requireEffectiveAfterHeads(act: UnsignedAct, signatures: ActSignature[]): void {
    const effective = effectiveTimeOf(act, signatures).time;
    for (const event of act.events) {
      const h = head(event.stream);
      if (h && effective < h.time) {
        throw new ActTimeRefused(
          'before-head',
          `the act's last signature is dated ${effective}, before ${event.stream}'s last act took effect (${h.time}); check the signer's clock and sign again`,
        );
      }
    }
  }

  function requirePlausibleTime(act: UnsignedAct): void {
    const current = clock();
    const policy = policyAt(current);
    const now = Date.parse(current);
    const time = Date.parse(act.time);
    if (time > now + maxSkewMs) throw new ActTimeRefused('future', `the act is dated ${act.time}, in the future`);
    if (time < now - policy.pendingActExpiryHours * 3_600_000) {
      throw new ActTimeRefused('expired', `the act was prepared at ${act.time} and expired after ${policy.pendingActExpiryHours} h`);
    }
  }

  /** Every signer's time lies after the act was prepared and before now, each within the clock skew (L-TIME). */
  function requirePlausibleSignedTimes(act: UnsignedAct, signatures: ActSignature[]): void {
    const problem = signedTimeProblem(act, signatures, maxSkewMs, clock());
    if (problem) throw new ActTimeRefused(problem.reason, problem.message);
  }

  /** The ledger's clock at an append, never before the previous append's: recording times only go forward. */
  function recordingTime(): IsoTime {
    const now = clock();
    return model.lastRecordedAt !== null && model.lastRecordedAt > now ? model.lastRecordedAt : now;
  }

  /** An act already in the ledger (a retry after a lost reply) is answered as it was, not appended again. */
  async function recordedBefore(act: UnsignedAct, actId: string): Promise<boolean> {
    const first = act.events[0];
    const h = first && head(first.stream);
    if (!first || !h || h.revision < first.revision) return false;
    if (h.revision === first.revision) return h.actId === actId;
    const [stored] = await store.readStream(first.stream, { fromRevision: BigInt(first.revision) });
    return stored?.metadata['actId'] === actId;
  }

  return {
    ledgerId,
    model,
    /** The policy in force now. */
    get policy(): Policy {
      return policyAt(clock());
    },
    policyAt,
    basePolicy,

    /**
     * Keeps the write model current with events other processes append (several API nodes on one
     * EventStoreDB). One process alone on a SQLite file does not need it, but it does no harm.
     */
    follow(): Subscription {
      return store.subscribe({ after: model.position }, (recorded) => foldRecorded(model, recorded));
    },

    /** Parses a command, decides it now and returns the act every signer must sign. Appends nothing. */
    prepare(input: unknown, time: IsoTime = clock()): UnsignedAct {
      return buildAct(parseWith(LedgerCommand, input, 'command'), time);
    },

    /**
     * Checks a signed act against the ledger as it is now and appends it to every stream it names, or
     * to none. Refusals: ValidationError, StaleAct, ActTimeRefused, RuleViolation (a rule, or L-2 for
     * signatures), ConcurrencyError (someone appended first).
     */
    async submit(input: unknown): Promise<SubmitResult> {
      const signed = parseWith(SignedAct, input, 'signed act');
      // People and policy are what every other decision consults: they change with nothing else in flight.
      const changesEveryDecision = signed.act.events.some((event) => event.stream.startsWith('person-') || event.stream === POLICY_STREAM);
      return changesEveryDecision ? gate.exclusive(() => decideAndAppend(signed)) : gate.shared(() => decideAndAppend(signed));
    },
  };

  /** Checks a signed act against the ledger as it is now and appends it (see submit). */
  async function decideAndAppend({ act, signatures }: SignedAct): Promise<SubmitResult> {
    if (act.ledger !== ledgerId) throw new ValidationError(`the act was prepared for ledger ${act.ledger}, not ${ledgerId}`);
    // The signed bytes are computed once: they give the act's id, and the signatures are checked over them.
    const bytes = actSigningBytes(act);
    const actId = sha256Hex(bytes);
    if (await recordedBefore(act, actId)) return { actId, events: [], alreadyRecorded: true };
    requireCurrent(act);
    requirePlausibleTime(act);
    const command = parseWith(LedgerCommand, act.command, 'command');
    if (sha256Hex(actSigningBytes(buildAct(command, act.time))) !== actId) {
      throw new ValidationError('the act is not what its command decides against the current ledger');
    }
    const enrolling = command.type === 'EnrolPerson' ? command.data : undefined;
    const keys = directoryKeys(model.directory, enrolling);
    requirePlausibleSignedTimes(act, signatures);
    const { missing } = await verifySignatures(act, signatures, keys, verifier, bytes, actId);
    if (missing.length > 0) throw new MissingSignatures(missing);
    requireEffectiveAfterHeads(act, signatures);
    return append(act, actId, signatures);
  }

  async function append(act: UnsignedAct, actId: string, signatures: ActSignature[]): Promise<SubmitResult> {
    const requests = appendRequestsFor(act, actId, signatures, recordingTime());
    const results = requests.length === 1 ? [await store.append(requests[0]!)] : await store.appendMany(requests);
    const events = requests.map((request, i) => {
      const result = results[i]!;
      const event = request.events[0]!;
      foldRecorded(model, {
        eventId: event.eventId,
        stream: request.stream,
        revision: result.nextExpectedRevision,
        position: result.position,
        type: event.type,
        data: event.data,
        metadata: event.metadata ?? {},
      });
      const { hash } = event.metadata as unknown as EventMetadata;
      return { stream: request.stream, revision: result.nextExpectedRevision, position: result.position, hash };
    });
    return { actId, events, alreadyRecorded: false };
  }
}
