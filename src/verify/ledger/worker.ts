import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from '../../crypto/ed25519.js';
import { checkChunk, type ChunkResult } from './check-chunk.js';
import { keysFromPersonRows } from './persons.js';
import { openLedgerFile, type Row } from './source.js';

/**
 * One verification worker: opens the ledger file read-only, builds the key resolver from the person
 * rows it is given, then checks each chunk of positions it is sent and posts the result back (its
 * typed arrays transferred, not copied).
 */
export type WorkerInput = { path: string; personRows: Row[]; ledgerId: string | null };
export type Task = { chunk: number; after: number; upTo: number };
export type TaskDone = { chunk: number; result: ChunkResult };

const { path, personRows, ledgerId } = workerData as WorkerInput;
const file = openLedgerFile(path);
const keys = keysFromPersonRows(personRows);
const verifier = createVerifier();

parentPort!.on('message', (task: Task | null) => {
  if (task === null) {
    file.close();
    parentPort!.close();
    return;
  }
  const result = checkChunk(file.range(task.after, task.upTo), keys, verifier, ledgerId, task.upTo - task.after);
  const done: TaskDone = { chunk: task.chunk, result };
  const transfer = [result.hashes, result.leaves, result.streamOf, result.revisions, result.positions].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage(done, transfer);
});
