import { createVerifier, type Verifier } from '../../crypto/ed25519.js';
import { defaultPolicy, type Policy } from '../../domain/policy/policy.js';
import { createWriteModel, foldRecorded } from '../../ledger/write-model.js';
import type { CheckpointTrust } from '../checkpoint/verify-checkpoint.js';
import { issue, type Issue, type VerificationReport } from '../issues.js';
import { historicalKeys } from '../keys.js';
import { replayActs } from '../replay.js';
import { checkCheckpoints } from './check-checkpoints.js';
import { checkKnownCheckpoints } from './check-known.js';
import { checkLedgerTree } from './check-ledger.js';
import { checkHead, checkInclusion, checkStream } from './check-streams.js';
import { requiredStreams } from './required-streams.js';
import { prepareEvent, type PreparedEvent } from './prepared.js';
import { Bundle } from './schema.js';

export type VerifyBundleOptions = CheckpointTrust & {
  /** Checkpoints you kept from before (signed notes): a fork against any of them is reported. */
  knownCheckpoints?: readonly string[];
  /** Policies besides the default that acts may have been judged by, for replaying the rules. */
  policies?: readonly Policy[];
  verifier?: Verifier;
};

/**
 * Verifies a bundle offline, trusting nothing in it: the checkpoint against the keys you give (and
 * the witness quorum), every earlier checkpoint for consistency and forks, every event's chain link,
 * hash and signatures (keys valid at the act's time, revocations applied), every inclusion proof and
 * stream head, that the streams the record depends on are all there, and the rules, replayed.
 * Never throws on bad input: everything wrong is an issue in the report.
 */
export function verifyBundle(input: unknown, options: VerifyBundleOptions): VerificationReport {
  const verifier = options.verifier ?? createVerifier();
  const parsed = Bundle.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => issue('malformed-bundle', `${i.path.join('.') || '(bundle)'}: ${i.message}`));
    return { ok: false, issues, notices: [], summary: { events: 0, streams: 0, signatures: 0, checkpointSize: null, witnesses: [] } };
  }
  const bundle = parsed.data;
  const found = checkCheckpoints(bundle.checkpoint, bundle.history, options, bundle.ledgerId, verifier);
  const issues: Issue[] = [...found.issues];
  const notices: Issue[] = [...found.notices];

  // Streams, each in the order the bundle lists its events.
  const streams = new Map<string, PreparedEvent[]>();
  const listed = bundle.kind === 'carrier' ? bundle.streams.flatMap((s) => s.events.map((e) => ({ ...e, listedAs: s.stream }))) : bundle.events.map((e) => ({ ...e, listedAs: e.stream }));
  for (const { listedAs, ...event } of listed) {
    const list = streams.get(listedAs) ?? [];
    list.push(prepareEvent(event));
    streams.set(listedAs, list);
  }
  const all = [...streams.values()].flat().sort((a, b) => a.event.leafIndex - b.event.leafIndex);

  // Keys: every person's keys as the whole record leaves them (revocations apply backwards).
  const persons = createWriteModel();
  for (const p of all) {
    if (p.envelope && p.event.stream.startsWith('person-')) {
      try {
        foldRecorded(persons, p.record);
      } catch {
        // reported by the chain checks
      }
    }
  }
  const keys = historicalKeys(persons.persons);
  for (const [stream, events] of streams) issues.push(...checkStream(stream, events, keys, verifier));
  issues.push(...requiredStreams(all, new Set(streams.keys()), bundle.kind === 'carrier' ? bundle.subject : undefined));

  const checkpoint = found.checkpoint;
  if (checkpoint && bundle.kind === 'carrier') {
    for (const stream of bundle.streams) {
      const events = streams.get(stream.stream) ?? [];
      issues.push(...checkInclusion(events, checkpoint), ...checkHead(stream, events, checkpoint));
    }
  }
  let rootAt: ((size: number) => Uint8Array | undefined) | undefined;
  if (checkpoint && bundle.kind === 'ledger') {
    const tree = checkLedgerTree(all, checkpoint);
    issues.push(...tree.issues);
    notices.push(...tree.notices);
    rootAt = tree.rootAt;
  }
  if (checkpoint && (options.knownCheckpoints ?? []).length > 0) {
    const cover = bundle.kind === 'carrier' ? `custody bundle ${bundle.subject}` : 'custody bundle --ledger';
    issues.push(
      ...checkKnownCheckpoints(options.knownCheckpoints ?? [], options, bundle.ledgerId, verifier, {
        top: checkpoint,
        seen: found.seen,
        proofs: bundle.consistency ?? [],
        ...(rootAt ? { rootAt } : {}),
        howToCover: `get a bundle that proves it against your checkpoint: ${cover} --server --known <your checkpoint file> --out <file>`,
      }),
    );
  } else if (!checkpoint && (options.knownCheckpoints ?? []).length > 0) {
    issues.push(issue('unproven-known', 'the bundle has no checkpoint that verifies, so nothing can be compared with your checkpoints'));
  }

  const policy = [defaultPolicy, ...(options.policies ?? [])].find((p) => p.name === bundle.policy);
  if (!policy) notices.push(issue('not-replayed', `the bundle says acts were judged by policy "${bundle.policy}", which this verifier does not know: carrier acts were not replayed (pass the policy to replay them)`));
  const replay = replayActs(all, {
    ledgerId: bundle.ledgerId,
    policy,
    streams: new Set(streams.keys()),
    complete: bundle.kind === 'ledger',
  });
  issues.push(...replay.issues);
  notices.push(...replay.notices);

  return {
    ok: issues.length === 0,
    issues: dedupe(issues),
    notices,
    summary: {
      events: all.length,
      streams: streams.size,
      signatures: all.reduce((n, p) => n + (p.envelope?.signatures.length ?? 0), 0),
      checkpointSize: checkpoint?.size ?? null,
      witnesses: found.witnesses,
    },
  };
}

/** The same finding reached by two checks (a gap seen by the order check and by verifyStream) is said once. */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}|${i.stream}|${i.revision}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
