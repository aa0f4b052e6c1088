import type { IsoTime } from '../../domain/primitives.js';
import { publicKeyFromSecret } from '../../crypto/ed25519.js';
import type { EventStore } from '../../store/port.js';
import { hashesEqual } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/proofs.js';
import type { TrustedKey } from '../note/keys.js';
import { formatNote, signNoteText } from '../note/note.js';
import { checkpointText, type Checkpoint } from './checkpoint.js';
import { frozenHeads, type HeadsView } from './heads-view.js';
import { createLedgerLog, headsTreeAt, type LedgerLog } from './log.js';
import { appendCheckpointEvent, readCheckpointStream, type CheckpointStream, type RecordedCheckpoint } from './stream.js';
import { verifySignedCheckpoint } from './verify-checkpoint.js';
import { auditNewlyCovered } from './pre-sign-audit.js';

/** The ledger's key pair, as the server keeps it in `<dir>/ledger-key.json`. */
export type LedgerKey = { ledgerId: string; publicKey: string; secretKey: string };

/** A checkpoint the ledger signed, with the cosignatures it has received so far. */
export type SignedCheckpoint = { checkpoint: Checkpoint; text: string; note: string; revision: number };

/** No checkpoint covers what a reader asked for yet, and none came in time (reads never sign one). */
export class CheckpointPending extends Error {
  override readonly name = 'CheckpointPending';
}

/** The ledger refused to sign: what it would sign does not extend what it signed before. */
export class CheckpointRefused extends Error {
  override readonly name = 'CheckpointRefused';
  constructor(
    readonly reason: 'inconsistent' | 'truncated' | 'tampered-checkpoint-stream' | 'wrong-key' | 'rollback' | 'fork' | 'tampered-state' | 'tampered-event',
    message: string,
  ) {
    super(message);
  }
}

/**
 * What the key signed, remembered outside the ledger file (the server's ledger-state.json): a file
 * cut short or swapped cannot make the key forget a checkpoint it signed. `last` is read before
 * every signature; `remember` must be durable when it returns (it runs before the note is published).
 */
export type SignedMemory = { last(): string | null; remember(note: string): void };

export type CheckpointerOptions = {
  store: EventStore;
  ledgerKey: LedgerKey;
  clock?: () => IsoTime;
  /** Witnesses whose cosignatures the ledger records; a line by anyone else is refused. */
  witnessKeys?: readonly TrustedKey[];
  /** The log over `store`, if the caller already has one (fed by the read of the log at start). */
  log?: LedgerLog;
  /**
   * Where the last signed checkpoint is kept outside the store. Given, the checkpointer refuses to
   * start (and to sign) over a history that does not extend it, and records each note there first.
   */
  memory?: SignedMemory;
};

export type Checkpointer = Awaited<ReturnType<typeof createCheckpointer>>;

/**
 * Where exports get their checkpoint: the checkpointer (a fresh one, signed now, for the operator's
 * own command), the server's newest one covering `needed` leaves (a reader's request never signs), or
 * a reader of the checkpoints already recorded (no key needed). During `task`, `heads` is the heads
 * tree at the checkpoint's size and `log` holds at least that many leaves.
 */
export type CheckpointTask<T> = (signed: SignedCheckpoint, log: LedgerLog, heads: HeadsView) => T | Promise<T>;
export type CheckpointSource = {
  ledgerId: string;
  all(): Promise<SignedCheckpoint[]>;
  withCheckpoint<T>(task: CheckpointTask<T>, needed?: (log: LedgerLog) => number | Promise<number>): Promise<T>;
};

/**
 * Takes checkpoints: on demand (`checkpoint()`) and on a timer (`every(ms)`). Before signing, it
 * checks that the log it is about to sign extends the last checkpoint it signed (consistency proof,
 * verified); it never signs a checkpoint inconsistent with an earlier one. Every checkpoint is
 * appended to the `ledger-checkpoints` stream, at the revision it expects.
 * All operations run one at a time, so a timer tick and an on-demand request cannot race.
 */
export async function createCheckpointer(options: CheckpointerOptions) {
  const { store, ledgerKey } = options;
  const clock = options.clock ?? (() => new Date().toISOString());
  if (publicKeyFromSecret(ledgerKey.secretKey) !== ledgerKey.publicKey) {
    throw new CheckpointRefused('wrong-key', `the ledger key of ${ledgerKey.ledgerId} does not match its public key`);
  }
  const trustSelf = { trustedLedgerKeys: [{ name: ledgerKey.ledgerId, publicKey: ledgerKey.publicKey, algorithm: 1 as const }], quorum: 0 };
  const log: LedgerLog = options.log ?? createLedgerLog(store);
  const memory = options.memory;
  let known: CheckpointStream | undefined;
  let stream: CheckpointStream = await loadStream();
  let queue: Promise<unknown> = Promise.resolve();
  /** The heads tree at the size of the last checkpoint taken, kept while the log moves on. */
  let frozen: { size: number; heads: HeadsView } | undefined;
  /** The schedule that takes checkpoints after appends; without it, a reader waits for nothing. */
  let schedule: { waitMs: number } | undefined;
  /** Readers waiting for a checkpoint that covers `needed` leaves (served inside the next take). */
  let waiters: Array<{ needed: number; run(signed: SignedCheckpoint): Promise<void>; fail(error: Error): void }> = [];

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The stream as recorded: read whole at start, then only what was appended since (a checkpoint
   * every few seconds must not make every take read them all again).
   */
  async function loadStream(): Promise<CheckpointStream> {
    const loaded = await readCheckpointStream(store, known);
    known = loaded;
    const problem = loaded.problems[0];
    if (problem) {
      throw new CheckpointRefused('tampered-checkpoint-stream', `ledger-checkpoints revision ${problem.revision}: ${problem.message}`);
    }
    return loaded;
  }

  /** A recorded checkpoint, its own signature checked: a forged one must not become the base for the next. */
  function opened(recorded: RecordedCheckpoint): SignedCheckpoint {
    const checked = verifySignedCheckpoint(recorded.note, trustSelf, { expectedOrigin: ledgerKey.ledgerId });
    if (!checked.checkpoint || !checked.text || checked.issues.length > 0) {
      throw new CheckpointRefused(
        'tampered-checkpoint-stream',
        `ledger-checkpoints revision ${recorded.revision}: ${checked.issues.map((i) => i.message).join('; ')}`,
      );
    }
    // Cosignatures arrive after the checkpoint is recorded; each is one more signature line.
    const note = recorded.note + recorded.cosignatures.map((line) => `${line}\n`).join('');
    return { checkpoint: checked.checkpoint, text: checked.text, note, revision: recorded.revision };
  }

  const latestSigned = (): SignedCheckpoint | undefined => {
    const last = stream.checkpoints[stream.checkpoints.length - 1];
    return last ? opened(last) : undefined;
  };

  /** The checkpoint `memory` holds, its signature checked: an edited state file must not lower the bar. */
  function remembered(): Checkpoint | undefined {
    const note = memory?.last() ?? null;
    if (note === null) return undefined;
    const checked = verifySignedCheckpoint(note, trustSelf, { expectedOrigin: ledgerKey.ledgerId });
    if (!checked.checkpoint || checked.issues.length > 0) {
      throw new CheckpointRefused(
        'tampered-state',
        `the last checkpoint kept beside the ledger key is not one this key signed (${checked.issues.map((i) => i.message).join('; ')}): restore ledger-state.json from your backup`,
      );
    }
    return checked.checkpoint;
  }

  /** The key signed `before` (kept outside the store): the log must still hold it, and extend it. */
  function requireExtendsRemembered(before: Checkpoint, size: number, root: Uint8Array): void {
    if (size < before.size) {
      throw new CheckpointRefused(
        'rollback',
        `the ledger holds ${size} events, but its key signed a checkpoint of ${before.size} at ${before.time}: the ledger file was cut or an older copy put in its place; restore the ledger file from a backup holding at least ${before.size} events`,
      );
    }
    if (!verifyConsistency(before.size, size, before.root, root, log.tree.consistencyProof(before.size, size))) {
      throw new CheckpointRefused(
        'fork',
        `the events in the ledger do not extend the checkpoint of ${before.size} its key signed at ${before.time}: this is another history, and the key never signs two; restore the ledger file from your backup`,
      );
    }
  }

  /** Checks the log against every checkpoint the key is known to have signed; the memory catches up with the stream. */
  async function requireExtendsSigned(): Promise<{ size: number; root: Uint8Array; last: SignedCheckpoint | undefined }> {
    const size = await log.sync();
    const root = log.tree.root(size);
    const kept = remembered();
    if (kept) requireExtendsRemembered(kept, size, root);
    const last = latestSigned();
    if (last) {
      const before = last.checkpoint;
      if (size < before.size) {
        throw new CheckpointRefused('truncated', `the store holds ${size} events, fewer than the ${before.size} of checkpoint revision ${last.revision}`);
      }
      const proof = log.tree.consistencyProof(before.size, size);
      if (!verifyConsistency(before.size, size, before.root, root, proof)) {
        throw new CheckpointRefused(
          'inconsistent',
          `the events now in the store do not extend checkpoint ${before.size} (revision ${last.revision}): its history was changed; refusing to sign`,
        );
      }
      // Signed by this key and consistent: the memory never lags behind what the store shows was signed.
      if (memory && (!kept || before.size > kept.size)) memory.remember(stream.checkpoints[stream.checkpoints.length - 1]!.note);
    }
    return { size, root, last };
  }

  async function take(): Promise<SignedCheckpoint> {
    stream = await loadStream();
    const { size, root, last } = await requireExtendsSigned();
    if (last && size === last.checkpoint.size && hashesEqual(root, last.checkpoint.root)) {
      if (frozen?.size !== size) frozen = { size, heads: frozenHeads(log.heads) };
      return last;
    }
    // Rows edited in the file since they were appended are never covered (issue 16 hole 4).
    const tampered = await auditNewlyCovered(store, log, last?.checkpoint.size ?? 0, size);
    if (tampered) {
      throw new CheckpointRefused(
        'tampered-event',
        `${tampered.stream}@${tampered.revision} (position ${tampered.position}): ${tampered.problem}; the stored event was changed after it was appended, and the ledger will not sign over it`,
      );
    }
    const checkpoint: Checkpoint = {
      origin: ledgerKey.ledgerId,
      size,
      root,
      time: clock(),
      heads: { count: log.heads.count(), root: log.heads.root() },
    };
    const text = checkpointText(checkpoint);
    const note = formatNote(text, [signNoteText(text, ledgerKey.ledgerId, ledgerKey.secretKey)]);
    // Remembered (durably) before anyone can see it: a note published is a note the key will answer for.
    memory?.remember(note);
    const recorded = await appendCheckpointEvent(store, stream.head, { type: 'CheckpointSigned', data: { note, prevHash: stream.head?.hash ?? null } });
    stream = await loadStream();
    frozen = { size, heads: frozenHeads(log.heads) };
    const signed = { checkpoint, text, note, revision: recorded.revision };
    await serveWaiters(signed);
    return signed;
  }

  /** Readers whose events the new checkpoint covers run now, before anything else can move the log. */
  async function serveWaiters(signed: SignedCheckpoint): Promise<void> {
    const ready = waiters.filter((w) => w.needed <= signed.checkpoint.size);
    waiters = waiters.filter((w) => w.needed > signed.checkpoint.size);
    for (const waiter of ready) await waiter.run(signed);
  }

  async function headsAt(size: number): Promise<HeadsView> {
    if (frozen?.size === size) return frozen.heads;
    // Only after a restart with events newer than the last checkpoint: read once, then kept.
    frozen = { size, heads: log.tree.size() === size ? frozenHeads(log.heads) : await headsTreeAt(store, size) };
    return frozen.heads;
  }

  /**
   * Runs `task` against the newest checkpoint that covers `needed(log)` leaves; if none does yet,
   * waits (bounded) for the schedule's next one. Never signs: a read does not append.
   */
  function withCovering<T>(needed: (log: LedgerLog) => number | Promise<number>, task: CheckpointTask<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = async (signed: SignedCheckpoint) => {
        try {
          resolve(await task(signed, log, await headsAt(signed.checkpoint.size)));
        } catch (error) {
          reject(error);
        }
      };
      exclusive(async () => {
        stream = await loadStream();
        await log.sync();
        const want = await needed(log);
        const latest = latestSigned();
        if (latest && latest.checkpoint.size >= want) return run(latest);
        const covered = `the latest checkpoint covers ${latest?.checkpoint.size ?? 0} of the ${want} events asked for`;
        if (!schedule) {
          throw new CheckpointPending(`${covered}, and this ledger signs checkpoints only on demand: a security officer takes one (custody checkpoint --take)`);
        }
        const { waitMs } = schedule;
        const waiter = {
          needed: want,
          run: async (signed: SignedCheckpoint) => {
            clearTimeout(timer);
            await run(signed);
          },
          fail: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new CheckpointPending(`${covered}; none covering them was signed within ${Math.ceil(waitMs / 1000)} s: retry shortly`));
        }, waitMs);
        waiters.push(waiter);
      }).catch(reject);
    });
  }

  // With a memory outside the store, a history that does not extend what the key signed is refused at once.
  if (memory) await exclusive(requireExtendsSigned);

  return {
    log,
    ledgerId: ledgerKey.ledgerId,

    /** Signs and records a checkpoint of the log as it is now; the latest one if nothing changed since. */
    checkpoint: (): Promise<SignedCheckpoint> => exclusive(take),

    /** The last recorded checkpoint with its cosignatures, if any. */
    latest: (): Promise<SignedCheckpoint | undefined> =>
      exclusive(async () => {
        stream = await loadStream();
        return latestSigned();
      }),

    /** Every recorded checkpoint, oldest first, each with its cosignatures. */
    all: (): Promise<SignedCheckpoint[]> =>
      exclusive(async () => {
        stream = await loadStream();
        return stream.checkpoints.map(opened);
      }),

    /**
     * Takes a checkpoint (or finds the latest, if nothing changed) and runs `task` before anything else
     * can move the log: the log's tree size is exactly the checkpoint's size during `task`.
     */
    withCheckpoint: <T>(task: CheckpointTask<T>): Promise<T> => exclusive(async () => task(await take(), log, log.heads)),

    /** The newest checkpoint covering `needed(log)` leaves, waiting (bounded) for the schedule's next: for readers. */
    withCovering,

    /** A source for exports that reads, never signs (the server's routes). */
    covering(): CheckpointSource {
      const all = () =>
        exclusive(async () => {
          stream = await loadStream();
          return stream.checkpoints.map(opened);
        });
      return { ledgerId: ledgerKey.ledgerId, all, withCheckpoint: (task, needed) => withCovering(needed ?? ((l) => l.tree.size()), task) };
    },

    /** Runs `task` with the log synced and no checkpoint being taken meanwhile (for proofs and exports). */
    withLog: <T>(task: (log: LedgerLog) => T | Promise<T>): Promise<T> =>
      exclusive(async () => {
        await log.sync();
        return task(log);
      }),

    /**
     * Records a witness's cosignature line for the checkpoint of `size`, after checking it verifies
     * under one of the configured witness keys.
     */
    cosign: (size: number, line: string) => exclusive(() => recordCosignature(size, line)),

    /**
     * Takes a checkpoint within `ms` milliseconds of any append, until stopped; failures go to
     * `onError`. A tick where nothing was appended costs one look at the store's head position.
     * Readers waiting for a checkpoint wait at most a few periods.
     */
    every(ms: number, onError: (error: unknown) => void = () => undefined): { stop(): void } {
      let seen: bigint | undefined;
      let busy = false;
      schedule = { waitMs: Math.min(Math.max(3 * ms, 5_000), 60_000) };
      const tick = async () => {
        const head = await store.headPosition();
        if (head === seen) return;
        try {
          await exclusive(take);
        } catch (error) {
          // A refusal stands until something new is appended: said once, not every tick.
          if (error instanceof CheckpointRefused) seen = head;
          throw error;
        }
        seen = await store.headPosition();
      };
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        tick()
          .catch(onError)
          .finally(() => {
            busy = false;
          });
      }, ms);
      timer.unref();
      return {
        stop: () => {
          clearInterval(timer);
          schedule = undefined;
          for (const waiter of waiters) waiter.fail(new CheckpointPending('the server is stopping'));
          waiters = [];
        },
      };
    },
  };

  async function recordCosignature(size: number, line: string): Promise<SignedCheckpoint> {
    stream = await loadStream();
    const recorded = stream.checkpoints.find((c) => c.note.split('\n', 2)[1] === String(size));
    const target = recorded && opened(recorded);
    if (!target) throw new CheckpointRefused('inconsistent', `no checkpoint of size ${size} was signed`);
    const withLine = `${target.note}${line.endsWith('\n') ? line : `${line}\n`}`;
    const checked = verifySignedCheckpoint(withLine, { ...trustSelf, trustedWitnessKeys: options.witnessKeys ?? [], quorum: 0 });
    const before = verifySignedCheckpoint(target.note, { ...trustSelf, trustedWitnessKeys: options.witnessKeys ?? [], quorum: 0 });
    const added = checked.witnesses.filter((w) => !before.witnesses.includes(w));
    if (checked.issues.length > 0 || added.length !== 1) {
      throw new CheckpointRefused('wrong-key', `the cosignature is not a new, valid cosignature by a configured witness: ${checked.issues.map((i) => i.message).join('; ') || 'unknown or repeated witness'}`);
    }
    await appendCheckpointEvent(store, stream.head, {
      type: 'CheckpointCosigned',
      data: { size, witness: added[0]!, line: line.endsWith('\n') ? line.slice(0, -1) : line, prevHash: stream.head?.hash ?? null },
    });
    stream = await loadStream();
    return opened(stream.checkpoints.find((c) => c.revision === target.revision)!);
  }
}
