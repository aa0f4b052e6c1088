import type { EventStore } from '../../store/port.js';
import { parseNote } from '../note/note.js';
import { parseCheckpointText } from './checkpoint.js';
import type { CheckpointSource, SignedCheckpoint } from './checkpointer.js';
import { createLedgerLog, headsTreeAt } from './log.js';
import { readCheckpointStream, type RecordedCheckpoint } from './stream.js';

/** There is nothing to export against: the ledger has never recorded a checkpoint. */
export class NoCheckpoint extends Error {
  override readonly name = 'NoCheckpoint';
}

/**
 * A checkpoint source that signs nothing: it exports against the latest checkpoint the ledger
 * recorded, for whoever holds a copy of the ledger but not its key. Events appended after that
 * checkpoint are left out (a later checkpoint will cover them). Signatures are not checked here:
 * the verifier checks them against the keys it trusts.
 */
export async function createCheckpointReader(store: EventStore): Promise<CheckpointSource> {
  const stream = await readCheckpointStream(store);
  const problem = stream.problems[0];
  if (problem) throw new NoCheckpoint(`ledger-checkpoints revision ${problem.revision}: ${problem.message}`);
  const recorded = stream.checkpoints.map(parsed);
  const latest = recorded[recorded.length - 1];
  if (!latest) throw new NoCheckpoint('the ledger has recorded no checkpoint yet: run the server (it takes them), or export with the ledger key');
  const log = createLedgerLog(store);
  return {
    ledgerId: latest.checkpoint.origin,
    all: async () => recorded,
    async withCheckpoint(task) {
      const size = latest.checkpoint.size;
      if ((await log.sync()) < size) throw new NoCheckpoint(`the store holds fewer events than checkpoint ${size} covers`);
      const heads = log.tree.size() === size ? log.heads : await headsTreeAt(store, size);
      return task(latest, log, heads);
    },
  };
}

function parsed(recorded: RecordedCheckpoint): SignedCheckpoint {
  const note = recorded.note + recorded.cosignatures.map((line) => `${line}\n`).join('');
  const opened = parseNote(note);
  const checkpoint = typeof opened === 'string' ? opened : parseCheckpointText(opened.text);
  if (typeof opened === 'string' || typeof checkpoint === 'string') {
    throw new NoCheckpoint(`ledger-checkpoints revision ${recorded.revision} is not a checkpoint: ${typeof checkpoint === 'string' ? checkpoint : ''}`);
  }
  return { checkpoint, text: opened.text, note, revision: recorded.revision };
}
