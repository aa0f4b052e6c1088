/**
 * The stream the ledger records its checkpoints in, and which streams are leaves of the Merkle tree:
 * every stream but that one. Kept apart from the stream's schemas so that verification workers can
 * tell the two apart without loading zod.
 */
export const CHECKPOINT_STREAM = 'ledger-checkpoints';

/** Whether an event of `stream` is a leaf of the Merkle tree. */
export const isTreeStream = (stream: string): boolean => stream !== CHECKPOINT_STREAM;
