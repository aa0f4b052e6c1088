import type { ActSignature } from '../../domain/act.js';
import type { Verifier } from '../../crypto/ed25519.js';
import { CHECKPOINT_STREAM } from '../checkpoint/stream-name.js';
import { issue, missingRevisions, type Issue } from '../issues.js';
import type { KeyResolver } from '../../ledger/signatures.js';
import { HASH_BYTES, leafHashInto } from '../merkle/hash.js';
import type { Row } from './source.js';
import { readStoredEvent } from './stored-event.js';
import { signatureMessage } from './hashing.js';
import { effectiveTime } from '../../domain/signed-time.js';

/**
 * Verifies a run of consecutive events (a chunk of the global log) on its own, so chunks can be
 * checked in parallel: each event's shape, recomputed act id and event hash, its place in its
 * stream, its chain link to the previous event of its stream within the chunk, and the Ed25519
 * verification of every signature. What needs other chunks is handed back for the main thread to
 * finish: the first event of each stream (its link to the previous chunk), the last one (for the
 * next chunk). Keys are judged by `keys`, built from every person's final state before the chunks
 * are dealt out (historicalKeys), exactly as verifyBundle judges them.
 */
export type ChunkResult = {
  count: number;
  /** Per tree event, in order: recomputed event hash and its RFC 6962 leaf hash (32 bytes each), stream (index into `streams`), revision, position. */
  hashes: Uint8Array;
  leaves: Uint8Array;
  streamOf: Int32Array;
  revisions: Float64Array;
  positions: Float64Array;
  streams: string[];
  /** The first event of each stream in the chunk, to link against the stream's head before the chunk. */
  firsts: Array<{ stream: number; event: number; prevHash: string | null | undefined }>;
  /** The ledger-checkpoints stream's events, as stored. */
  checkpointRows: Row[];
  signatures: number;
  /** Events whose act has a signature without its signer's time (v1): it took effect at its prepared time. */
  preparedTimeEvents: number;
  issues: Issue[];
};

/** Recent acts' verdicts: a batch act is stored once per stream, and signed once. */
const ACT_CACHE = 256;

/** `expected` (the chunk's size, about) sizes the arrays. */
export function checkChunk(rows: Iterable<Row>, keys: KeyResolver, verifier: Verifier, ledgerId: string | null = null, expected = 1024): ChunkResult {
  const columns = createColumns(Math.max(1, expected));
  const result: ChunkResult = { ...columns.arrays(), count: 0, streams: [], firsts: [], checkpointRows: [], signatures: 0, preparedTimeEvents: 0, issues: [] };
  const streamIndex = new Map<string, number>();
  // Per stream (by index): the revision and hash of its latest event in the chunk so far.
  const lastRevision: number[] = [];
  const lastHash: Array<string | null> = [];
  const verdicts = new Map<string, boolean[]>();
  let i = -1;
  let current: Row | undefined;
  // One function for the chunk, not a closure per row: rows with nothing to report allocate nothing here.
  const report = (code: Issue['code'], message: string) =>
    result.issues.push(issue(code, message, { position: current!.position, stream: current!.stream, revision: current!.revision }));

  for (const row of rows) {
    current = row;
    if (row.stream === CHECKPOINT_STREAM) {
      result.checkpointRows.push(row);
      continue;
    }
    i++;
    if (i === columns.capacity()) Object.assign(result, columns.grow());
    let s = streamIndex.get(row.stream);
    if (s === undefined) {
      s = result.streams.push(row.stream) - 1;
      streamIndex.set(row.stream, s);
    }
    result.streamOf[i] = s;
    result.revisions[i] = row.revision;
    result.positions[i] = row.position;
    const checked = readStoredEvent(row);
    const seen = s < lastRevision.length;
    const previousRevision = lastRevision[s]!;
    const previousHash = lastHash[s]!;
    if (!seen) result.firsts.push({ stream: s, event: i, prevHash: checked.ok ? checked.envelope.event.prevHash : undefined });
    if (seen && row.revision !== previousRevision + 1) {
      report('missing-events', `${missingRevisions(row.stream, previousRevision + 1, row.revision - 1)} before this event`);
    }
    lastRevision[s] = row.revision;
    lastHash[s] = checked.ok ? checked.hash : null;
    if (!checked.ok) {
      report('malformed-event', checked.message);
      // Its place in the tree still needs a leaf: the stored hash if it has one (the root check will tell).
      columns.setHash(i, checked.storedHash && /^[0-9a-f]{64}$/.test(checked.storedHash) ? checked.storedHash : ZERO_HASH);
      continue;
    }
    const { envelope, hash, bytes, actId } = checked;
    columns.setHash(i, hash);
    const { event } = envelope;
    if (event.stream !== row.stream) report('wrong-stream', `the act placed this event in ${event.stream}`);
    if (event.revision !== row.revision) report('wrong-position', `the act placed this event at revision ${event.revision}`);
    if (event.type !== row.type) report('malformed-event', `it is stored as a ${row.type}, but its act makes it a ${event.type}`);
    if (seen && previousHash !== null && event.prevHash !== previousHash) report('broken-link', 'it does not link to the hash of the event before it');
    if (checked.storedHash !== undefined && checked.storedHash !== hash) report('hash-mismatch', 'its stored hash is not the hash of its content');
    if (ledgerId !== null && envelope.ledger !== ledgerId) report('wrong-ledger', `the act was made for ledger ${envelope.ledger}, not ${ledgerId}`);

    const { signers } = envelope;
    // Keys are judged when the act took effect (its last signature; the prepared time for v1).
    const time = effectiveTime(envelope, envelope.signatures);
    if (time === envelope.time && envelope.signatures.some((s) => s.signedAt === undefined)) result.preparedTimeEvents++;
    const cached = verdicts.get(actId);
    // Verdicts are kept only for batch acts (stored once per carrier, signed once): nothing to allocate for the others.
    const fresh: boolean[] | undefined = cached || envelope.eventCount === 1 ? undefined : [];
    for (let k = 0; k < signers.length; k++) {
      const signer = signers[k]!;
      const signature = findSignature(envelope.signatures, signer);
      let valid = false;
      if (!signature) {
        report('missing-signature', `${signer} did not sign`);
      } else {
        result.signatures++;
        const key = keys(signer, signature.publicKey, time);
        if (key === 'valid') {
          valid = cached?.[k] ?? verifier.verify(signature.publicKey, signatureMessage(signature.signedAt, actId, bytes), signature.signature);
          if (!valid) report('bad-signature', `the signature of ${signer} does not verify`);
        } else if (key === 'unknown-person') {
          report('unknown-signer', `${signer} is not a known person`);
        } else {
          report('invalid-key', `${signer}'s key was not valid at ${time}`);
        }
      }
      fresh?.push(valid);
    }
    if (fresh) {
      verdicts.set(actId, fresh);
      if (verdicts.size > ACT_CACHE) verdicts.delete(verdicts.keys().next().value!);
    }
  }
  return { ...result, ...columns.trimmed(i + 1), count: i + 1 };
}

const ZERO_HASH = '0'.repeat(2 * HASH_BYTES);

/** The per-event columns, grown by doubling as rows arrive, and cut to size at the end. */
function createColumns(initial: number) {
  let capacity = initial;
  let arrays = allocate(capacity);
  // Buffer views of the hash columns, for writing digests in place.
  let hashBytes = bytesOf(arrays.hashes);
  let leafBytes = bytesOf(arrays.leaves);
  return {
    capacity: () => capacity,
    arrays: () => arrays,
    /** Event i's hash (hex) and its leaf hash, written in place. */
    setHash(i: number, hex: string): void {
      hashBytes.write(hex, i * HASH_BYTES, HASH_BYTES, 'hex');
      leafHashInto(hashBytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), leafBytes, i * HASH_BYTES);
    },
    grow() {
      const grown = allocate((capacity *= 2));
      grown.hashes.set(arrays.hashes);
      grown.leaves.set(arrays.leaves);
      grown.streamOf.set(arrays.streamOf);
      grown.revisions.set(arrays.revisions);
      grown.positions.set(arrays.positions);
      arrays = grown;
      hashBytes = bytesOf(arrays.hashes);
      leafBytes = bytesOf(arrays.leaves);
      return arrays;
    },
    trimmed: (n: number) => ({
      hashes: arrays.hashes.slice(0, n * HASH_BYTES),
      leaves: arrays.leaves.slice(0, n * HASH_BYTES),
      streamOf: arrays.streamOf.slice(0, n),
      revisions: arrays.revisions.slice(0, n),
      positions: arrays.positions.slice(0, n),
    }),
  };
}

const bytesOf = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function allocate(n: number) {
  return {
    hashes: new Uint8Array(n * HASH_BYTES),
    leaves: new Uint8Array(n * HASH_BYTES),
    streamOf: new Int32Array(n),
    revisions: new Float64Array(n),
    positions: new Float64Array(n),
  };
}

function findSignature(signatures: readonly ActSignature[], signer: string) {
  for (const signature of signatures) if (signature.signer === signer) return signature;
  return undefined;
}
