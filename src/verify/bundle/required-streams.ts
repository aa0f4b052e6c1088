import { carrierStream, personStream } from '../../domain/act.js';
import { isRegistered } from '../../domain/carrier/state.js';
import { createWriteModel, foldRecorded } from '../../ledger/write-model.js';
import { issue, type Issue } from '../issues.js';
import { at, type PreparedEvent } from './prepared.js';

/**
 * Streams the record itself says must exist: the subject carrier's, the person stream of everyone who
 * signed (their keys), and the streams of the carrier's lineage (the carrier it was copied from, the
 * copies made of it). A bundle that leaves one out, a whole stream dropped, fails here by name.
 */
export function requiredStreams(all: readonly PreparedEvent[], present: ReadonlySet<string>, subject?: string): Issue[] {
  const issues: Issue[] = [];
  const reported = new Set<string>();
  const require = (stream: string, why: string, where: PreparedEvent | undefined) => {
    if (present.has(stream) || reported.has(stream)) return;
    reported.add(stream);
    issues.push(issue('missing-stream', `${stream} is not in the bundle, but ${why}`, where ? at(where) : { stream }));
  };
  if (subject !== undefined) require(carrierStream(subject), 'it is the carrier the bundle is about', undefined);

  const model = createWriteModel();
  const lastOf = new Map<string, PreparedEvent>();
  for (const p of all) {
    if (!p.envelope) continue;
    for (const signer of p.envelope.act.signers) require(personStream(signer), `${signer} signed this act with the keys it records`, p);
    lastOf.set(p.event.stream, p);
    try {
      foldRecorded(model, p.record);
    } catch {
      // reported by the chain checks
    }
  }
  for (const [id, state] of model.carriers) {
    if (!isRegistered(state)) continue;
    const where = lastOf.get(carrierStream(id));
    // Folded from events nobody has vouched for yet: a forged event can leave any shape behind.
    if (typeof state.parentId === 'string') require(carrierStream(state.parentId), `${id} is a copy of ${state.parentId}`, where);
    for (const copy of Array.isArray(state.copies) ? state.copies : []) require(carrierStream(copy), `${copy} is a copy of ${id}`, where);
  }
  return issues;
}
