import { z } from '@hono/zod-openapi';
import { Id } from '../../domain/primitives.js';
import { CarrierBundle, type SignedCheckpoint } from '../../verify/index.js';
import { hashToBase64 } from '../../verify/merkle/hash.js';
import { parseNote } from '../../verify/note/note.js';

/** The proof routes' requests and replies (proofs.ts); zod, so /openapi.json is generated from them. */

/** A tree size or revision in a query or path: a whole number, nothing else (no '', no '1e3'). */
const Count = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, 'a whole number')
  .transform(Number)
  .openapi({ type: 'integer', minimum: 0, example: 21 });
/** Only carrier and person streams are leaves of the tree (not ledger-checkpoints). */
const TREE_STREAM = /^(?:carrier|person)-(.*)$/s;
const TreeStream = z
  .string()
  .refine((s) => Id.safeParse(TREE_STREAM.exec(s)?.[1]).success, { message: 'a carrier or person stream: carrier-<carrierId> or person-<personId>' })
  .openapi({ example: 'carrier-C1', description: 'carrier-<carrierId> or person-<personId>' });
const Base64Hash = z.string().openapi({ example: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=' });

export const InclusionQuery = z.object({ stream: TreeStream, revision: Count, size: Count.optional() }).strict();
export const ConsistencyQuery = z.object({ first: Count, second: Count.optional() }).strict();
export const CosignQuery = z.object({ from: Count }).strict();
/** Tree sizes of checkpoints the reader kept: the bundle carries a consistency proof for each (`custody bundle --known`). */
export const BundleQuery = z
  .object({
    known: z
      .string()
      .regex(/^\d{1,15}(,\d{1,15}){0,15}$/, 'tree sizes in decimal, separated by commas (at most 16)')
      .optional(),
  })
  .strict();
export const SizeParams = z.object({ size: Count });
export const CosignatureRequest = z
  .object({
    line: z
      .string()
      // No `u` flag: it would be written into the OpenAPI pattern as a literal "/u" no line can match.
      .regex(/^\u2014 [^\s+]+ [A-Za-z0-9+/]+={0,2}\n?$/, 'a signed-note signature line: "\u2014 <name> <base64>"'),
  })
  .strict()
  .openapi('Cosignature');

export const CheckpointView = z
  .object({
    revision: z.number().int().openapi({ description: 'Its revision in the ledger-checkpoints stream' }),
    size: z.number().int(),
    root: Base64Hash,
    time: z.string(),
    heads: z.object({ count: z.number().int(), root: Base64Hash }),
    witnesses: z.array(z.string()).openapi({ description: 'Names on the cosignature lines recorded so far' }),
    note: z.string().openapi({ description: 'The C2SP signed note: checkpoint text, blank line, signature lines' }),
  })
  .openapi('Checkpoint');
export const CheckpointList = z.object({ items: z.array(CheckpointView) }).openapi('Checkpoints');
export const InclusionProofView = z
  .object({ stream: z.string(), revision: z.number().int(), position: z.number().int(), leafIndex: z.number().int(), treeSize: z.number().int(), hash: z.string(), proof: z.array(Base64Hash) })
  .openapi('InclusionProof');
export const ConsistencyProofView = z.object({ first: z.number().int(), second: z.number().int(), proof: z.array(Base64Hash) }).openapi('ConsistencyProof');
export const CosignRequestView = z.object({ oldSize: z.number().int(), proof: z.array(Base64Hash), note: z.string() }).openapi('CosignRequest');
export const BundleView = z.object(CarrierBundle.shape).strict().openapi('CarrierBundle');

export function checkpointView(signed: SignedCheckpoint): z.infer<typeof CheckpointView> {
  const { checkpoint, note, revision } = signed;
  const parsed = parseNote(note);
  // The ledger's own signature is the first line; every line after it is a cosignature.
  const witnesses = typeof parsed === 'string' ? [] : parsed.signatures.slice(1).map((s) => s.name);
  return {
    revision,
    size: checkpoint.size,
    root: hashToBase64(checkpoint.root),
    time: checkpoint.time,
    heads: { count: checkpoint.heads.count, root: hashToBase64(checkpoint.heads.root) },
    witnesses,
    note,
  };
}
