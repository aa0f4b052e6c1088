/**
 * Verifiable by anyone (L-3, L-4): what the server, the API and the CLI use from src/verify.
 *
 * Server side: `createCheckpointer` (checkpoints on demand and on a timer, recorded in
 * `ledger-checkpoints`, never inconsistent with an earlier one), the proofs it serves, the bundles it
 * exports, and recording witnesses' cosignatures. Verifier side: `verifyBundle` (offline, trusting
 * only the keys it is given) and `verifyLedgerFile` (a whole SQLite ledger, on worker threads).
 * Witness side: `cosignCheckpoint` and its state file.
 */
export { createCheckpointer, CheckpointRefused, type Checkpointer, type CheckpointSource, type LedgerKey, type SignedCheckpoint } from './checkpoint/checkpointer.js';
export { createCheckpointReader, NoCheckpoint } from './checkpoint/reader.js';
export { checkpointText, parseCheckpointText, type Checkpoint } from './checkpoint/checkpoint.js';
export { consistencyProofOf, cosignRequestFor, inclusionProofOf, type InclusionProof } from './checkpoint/proofs.js';
export { CHECKPOINT_STREAM, isTreeStream } from './checkpoint/stream-name.js';
export { verifySignedCheckpoint, type CheckpointTrust } from './checkpoint/verify-checkpoint.js';
export { exportCarrierBundle, type ExportOptions } from './bundle/export-carrier.js';
export { exportLedgerBundle, writeLedgerBundle } from './bundle/export-ledger.js';
export { readBundleFile } from './bundle/read.js';
export { Bundle, CarrierBundle, LedgerBundle, BUNDLE_FORMAT } from './bundle/schema.js';
export { verifyBundle, type VerifyBundleOptions } from './bundle/verify-bundle.js';
export { verifyLedgerFile, type VerifyLedgerOptions, type LedgerProgress } from './ledger/verify-ledger.js';
export { formatIssue, type Issue, type IssueCode, type VerificationReport } from './issues.js';
export { parseTrustedKey, verifierKeyText, type TrustedKey } from './note/keys.js';
export { cosignCheckpoint, initialWitnessState, witnessVerifierKey, WitnessRefused, WitnessState, type CosignRequest } from './witness/witness.js';
export { readWitnessState, writeWitnessState } from './witness/state-file.js';
export { verifyConsistency, verifyInclusion } from './merkle/proofs.js';
