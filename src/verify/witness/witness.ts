import { z } from 'zod';
import { publicKeyFromSecret } from '../../crypto/ed25519.js';
import { verifySignedCheckpoint } from '../checkpoint/verify-checkpoint.js';
import { EMPTY_ROOT, hashesEqual, hashFromBase64, hashToBase64 } from '../merkle/hash.js';
import { verifyConsistency } from '../merkle/proofs.js';
import { verifierKeyText } from '../note/keys.js';
import { cosignNoteText } from '../note/note.js';

/**
 * A witness: another office (an independent auditor) that cosigns the ledger's checkpoints. It
 * remembers the last checkpoint it cosigned and cosigns a new one only with a consistency proof from
 * that one: so once it has cosigned, the ledger can never show anyone a history that drops, reorders
 * or rewrites what that checkpoint covered, and cannot show two offices two different logs (a fork)
 * without every witness refusing one of them. Cosignatures are C2SP cosignature/v1 lines.
 */

/** What a witness keeps between cosignatures: small, one JSON file per ledger it witnesses. */
export const WitnessState = z
  .object({
    format: z.literal('custody-ledger/witness-state/v1'),
    /** The witness's own key name, as it appears in its cosignature lines. */
    name: z.string().min(1),
    /** The ledger this state is for (its checkpoints' origin), and the key that signs them. */
    origin: z.string().min(1),
    ledgerPublicKey: z.string().length(43),
    size: z.number().int().min(0),
    /** Root of the last cosigned checkpoint, base64; the empty tree's root before the first. */
    root: z.string(),
    /** The text of the last cosigned checkpoint, kept as evidence if the ledger ever forks. */
    checkpoint: z.string().nullable(),
  })
  .strict();
export type WitnessState = z.infer<typeof WitnessState>;

/** What the ledger sends (C2SP tlog-witness add-checkpoint): the size it believes the witness is at, a proof from there, the note. */
export type CosignRequest = { oldSize: number; proof: string[]; note: string };

export class WitnessRefused extends Error {
  override readonly name = 'WitnessRefused';
  constructor(
    readonly reason: 'stale' | 'untrusted' | 'rollback' | 'fork' | 'inconsistent' | 'malformed',
    message: string,
    /** The witness's current size: with 'stale', the ledger retries with a proof from here. */
    readonly size: number,
  ) {
    super(message);
  }
}

export function initialWitnessState(name: string, origin: string, ledgerPublicKey: string): WitnessState {
  return { format: 'custody-ledger/witness-state/v1', name, origin, ledgerPublicKey, size: 0, root: hashToBase64(EMPTY_ROOT), checkpoint: null };
}

/**
 * Checks a cosign request against the state and returns the cosignature line with the state to
 * keep. Pure apart from the clock: the caller stores the new state (before handing the line out,
 * so a crash cannot make it forget a cosignature it gave).
 */
export function cosignCheckpoint(
  state: WitnessState,
  secretKey: string,
  request: CosignRequest,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): { line: string; state: WitnessState } {
  const refuse = (reason: WitnessRefused['reason'], message: string): never => {
    throw new WitnessRefused(reason, message, state.size);
  };
  const trust = { trustedLedgerKeys: [{ name: state.origin, publicKey: state.ledgerPublicKey, algorithm: 1 as const }], quorum: 0 };
  const checked = verifySignedCheckpoint(request.note, trust, { expectedOrigin: state.origin });
  const { checkpoint, text } = checked;
  if (!checkpoint || !text || checked.issues.length > 0) {
    return refuse('untrusted', checked.issues.map((i) => i.message).join('; '));
  }
  if (request.oldSize !== state.size) return refuse('stale', `the witness is at size ${state.size}, not ${request.oldSize}`);
  const root = hashFromBase64(state.root) ?? refuse('malformed', 'the witness state holds no valid root');
  if (checkpoint.size < state.size) {
    return refuse('rollback', `checkpoint ${checkpoint.size} is older than the ${state.size} already cosigned`);
  }
  if (checkpoint.size === state.size && !hashesEqual(checkpoint.root, root)) {
    return refuse('fork', `fork: checkpoint ${checkpoint.size} has root ${hashToBase64(checkpoint.root)}, but the one cosigned had ${state.root}`);
  }
  const proof = request.proof.map((p) => hashFromBase64(p) ?? refuse('malformed', 'a proof hash is not base64 SHA-256'));
  if (!verifyConsistency(state.size, checkpoint.size, root, checkpoint.root, proof)) {
    return refuse('inconsistent', `checkpoint ${checkpoint.size} does not extend the cosigned checkpoint ${state.size}`);
  }
  return {
    line: cosignNoteText(text, state.name, secretKey, nowSeconds),
    state: { ...state, size: checkpoint.size, root: hashToBase64(checkpoint.root), checkpoint: text },
  };
}

/** The key verifiers pass as `--witness`: `<name>+<key hash>+<base64>`. */
export const witnessVerifierKey = (name: string, secretKey: string): string =>
  verifierKeyText(name, publicKeyFromSecret(secretKey), 'witness');
