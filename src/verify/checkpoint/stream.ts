import { z } from 'zod';
import { signingBytes } from '../../domain/canonical.js';
import { Hash } from '../../domain/primitives.js';
import { sha256Hex } from '../../crypto/hash.js';
import { eventIdOf } from '../../ledger/envelope.js';
import type { EventStore, JsonObject, NewEvent, RecordedEvent } from '../../store/port.js';
import { CHECKPOINT_STREAM } from './stream-name.js';

/**
 * The `ledger-checkpoints` stream: every checkpoint the ledger signs, and every witness cosignature
 * it receives, recorded as events. The stream is hash-chained like the others (each event names the
 * hash of the one before it) but it is not itself in the Merkle tree: a checkpoint cannot contain
 * itself, and leaving it out means an idle ledger does not need a new checkpoint every period.
 */
export { CHECKPOINT_STREAM, isTreeStream } from './stream-name.js';
export const CHECKPOINT_EVENT_DOMAIN = 'custody-ledger/checkpoint-event/v1';

export const CheckpointSigned = z
  .object({
    type: z.literal('CheckpointSigned'),
    data: z.object({ note: z.string().min(1), prevHash: Hash.nullable() }).strict(),
  })
  .strict();

export const CheckpointCosigned = z
  .object({
    type: z.literal('CheckpointCosigned'),
    data: z
      .object({ size: z.number().int().min(0), witness: z.string().min(1), line: z.string().min(1), prevHash: Hash.nullable() })
      .strict(),
  })
  .strict();

export const CheckpointEvent = z.discriminatedUnion('type', [CheckpointSigned, CheckpointCosigned]);
export type CheckpointEvent = z.infer<typeof CheckpointEvent>;

export const checkpointEventHash = (event: CheckpointEvent): string => sha256Hex(signingBytes(CHECKPOINT_EVENT_DOMAIN, event));

/** A recorded checkpoint: its signed note (the ledger's line) and the cosignature lines that came later. */
export type RecordedCheckpoint = { revision: number; position: number; note: string; cosignatures: string[] };

export type CheckpointStream = {
  checkpoints: RecordedCheckpoint[];
  head: { revision: number; hash: string } | null;
  /** Events that are not checkpoint events or do not chain: the stream itself was tampered with. */
  problems: Array<{ revision: number; position: number; message: string }>;
};

/**
 * Folds the stream's recorded events, checking each one's shape and link. Given `before` (the fold of
 * the events up to its head), folds only the events after it: `events` start at the next revision.
 */
export function foldCheckpointStream(events: readonly RecordedEvent[], before?: CheckpointStream): CheckpointStream {
  const result: CheckpointStream = before
    ? { checkpoints: before.checkpoints.map((c) => ({ ...c, cosignatures: [...c.cosignatures] })), head: before.head, problems: [...before.problems] }
    : { checkpoints: [], head: null, problems: [] };
  const first = before?.head ? before.head.revision + 1 : 0;
  events.forEach((recorded, offset) => {
    const revision = first + offset;
    const position = Number(recorded.position);
    const parsed = CheckpointEvent.safeParse({ type: recorded.type, data: recorded.data });
    if (!parsed.success) {
      result.problems.push({ revision, position, message: 'not a checkpoint event' });
      return;
    }
    const event = parsed.data;
    const hash = checkpointEventHash(event);
    if (event.data.prevHash !== (result.head?.hash ?? null)) {
      result.problems.push({ revision, position, message: 'does not link to the hash of the checkpoint event before it' });
    }
    if (recorded.metadata['hash'] !== hash) result.problems.push({ revision, position, message: 'its stored hash is not the hash of its content' });
    result.head = { revision, hash };
    if (event.type === 'CheckpointSigned') {
      result.checkpoints.push({ revision, position, note: event.data.note, cosignatures: [] });
    } else {
      const target = [...result.checkpoints].reverse().find((c) => c.note.split('\n', 2)[1] === String(event.data.size));
      if (target) target.cosignatures.push(event.data.line);
      else result.problems.push({ revision, position, message: `cosigns size ${event.data.size}, which no checkpoint has` });
    }
  });
  return result;
}

export async function readCheckpointStream(store: EventStore, before?: CheckpointStream): Promise<CheckpointStream> {
  if (!before?.head) return foldCheckpointStream(await store.readStream(CHECKPOINT_STREAM));
  return foldCheckpointStream(await store.readStream(CHECKPOINT_STREAM, { fromRevision: BigInt(before.head.revision + 1) }), before);
}

/** Appends one checkpoint event after `head`; the store refuses it if someone else appended first. */
export async function appendCheckpointEvent(
  store: EventStore,
  head: CheckpointStream['head'],
  event: CheckpointEvent,
): Promise<{ revision: number; position: number; hash: string }> {
  const hash = checkpointEventHash(event);
  const newEvent: NewEvent = {
    eventId: eventIdOf(hash, 0),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: { hash },
  };
  const result = await store.append({
    stream: CHECKPOINT_STREAM,
    expected: head === null ? 'no-stream' : BigInt(head.revision),
    events: [newEvent],
  });
  return { revision: Number(result.nextExpectedRevision), position: Number(result.position), hash };
}
