import type { Verifier } from '../../crypto/ed25519.js';
import type { KeyResolver } from '../../ledger/signatures.js';
import { verifyStream } from '../../ledger/verify-stream.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { headLeaf } from '../checkpoint/heads.js';
import { issue, missingRevisions, type Issue } from '../issues.js';
import { hashFromBase64, hashFromHex, leafHash } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/proofs.js';
import { at, type PreparedEvent } from './prepared.js';
import type { BundleStream } from './schema.js';

/**
 * One stream as the bundle holds it: events in order, every revision from 0 present, each chained to
 * the one before and signed with a key valid at its time (verifyStream does those two).
 */
export function checkStream(stream: string, events: readonly PreparedEvent[], keys: KeyResolver, verifier: Verifier): Issue[] {
  const issues: Issue[] = [];
  events.forEach((p, i) => {
    if (p.event.stream !== stream) issues.push(issue('wrong-stream', `listed under ${stream} but stored in ${p.event.stream}`, at(p)));
    const signedType = p.envelope?.act.events[p.envelope.index]?.type;
    if (signedType !== undefined && signedType !== p.event.type) {
      issues.push(issue('malformed-event', `it is stored as a ${p.event.type}, but its act makes it a ${signedType}`, at(p)));
    }
    const expected = i === 0 ? 0 : events[i - 1]!.event.revision + 1;
    if (p.event.revision > expected) {
      issues.push(issue('missing-events', `${missingRevisions(stream, expected, p.event.revision - 1)} before this event`, at(p)));
    } else if (p.event.revision < expected) {
      issues.push(issue('out-of-order', `revision ${p.event.revision} comes after revision ${expected - 1}`, at(p)));
    }
  });
  for (const found of verifyStream(events.map((p) => p.record), keys, verifier)) {
    const p = events[found.revision]!;
    issues.push(issue(found.code, found.message, at(p)));
  }
  return issues;
}

/** Each event's inclusion proof against the checkpoint root, and leaves in the order of the revisions. */
export function checkInclusion(events: readonly PreparedEvent[], checkpoint: Checkpoint): Issue[] {
  const issues: Issue[] = [];
  events.forEach((p, i) => {
    const { leafIndex, proof } = p.event;
    const previous = events[i - 1];
    if (previous && previous.event.leafIndex >= leafIndex) {
      issues.push(issue('out-of-order', `its leaf ${leafIndex} is not after the previous event's leaf ${previous.event.leafIndex}`, at(p)));
    }
    if (leafIndex >= checkpoint.size) {
      issues.push(issue('inclusion-failed', `its leaf ${leafIndex} is beyond checkpoint ${checkpoint.size}`, at(p)));
      return;
    }
    const hash = p.hash === undefined ? undefined : hashFromHex(p.hash);
    const path = (proof ?? []).map(hashFromBase64);
    const included =
      hash !== undefined &&
      path.every((h) => h !== undefined) &&
      verifyInclusion(leafIndex, checkpoint.size, leafHash(hash), path as Uint8Array[], checkpoint.root);
    if (!included) {
      issues.push(issue('inclusion-failed', `this event, as the bundle holds it, is not leaf ${leafIndex} of checkpoint ${checkpoint.size}`, at(p)));
    }
  });
  return issues;
}

/**
 * The stream's head as the checkpoint commits to it (proof in the heads tree), against the last event
 * the bundle holds: a bundle with the tail of the stream cut off fails here.
 */
export function checkHead(stream: BundleStream, events: readonly PreparedEvent[], checkpoint: Checkpoint): Issue[] {
  const { head } = stream;
  const leaf = headLeaf({ stream: stream.stream, revision: head.revision, hash: head.hash });
  const path = head.proof.map(hashFromBase64);
  const proved =
    path.every((h) => h !== undefined) &&
    verifyInclusion(head.index, checkpoint.heads.count, leaf, path as Uint8Array[], checkpoint.heads.root);
  const where = { stream: stream.stream, revision: head.revision };
  if (!proved) {
    return [issue('heads-mismatch', `checkpoint ${checkpoint.size} does not commit to the head the bundle gives for ${stream.stream} (revision ${head.revision})`, where)];
  }
  const last = events[events.length - 1];
  if (!last || last.event.revision < head.revision) {
    const from = last ? last.event.revision + 1 : 0;
    const missing = from === head.revision ? `revision ${from} is` : `revisions ${from}..${head.revision} are`;
    return [
      issue('truncated-stream', `${stream.stream} ends at revision ${head.revision} in checkpoint ${checkpoint.size}, but ${missing} missing from the bundle`, {
        ...where,
        ...(last ? { position: last.event.position } : {}),
      }),
    ];
  }
  if (last.event.revision === head.revision && last.hash !== head.hash) {
    return [issue('heads-mismatch', `the last event of ${stream.stream} is not the head checkpoint ${checkpoint.size} commits to`, at(last))];
  }
  return [];
}
