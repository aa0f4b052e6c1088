import type { StoredEnvelope } from '../../domain/act.js';

/**
 * The shape checks the whole-ledger verifier needs before it hashes and verifies an event, without
 * the cost of the full zod schema (which takes as long as a tenth of an Ed25519 verification, and
 * the ledger has one of those per event): exactly the fields the checks read, with their types.
 * Anything these do not look at is covered by the hash and the signatures (the act is verified
 * byte for byte in canonical form); the full schema and the rules are checked when acts are
 * replayed (verifyBundle). An envelope with a member beyond act/index/signatures is refused: those
 * three are all the event hash covers.
 */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const HASH = /^[0-9a-f]{64}$/;

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function asStoredEnvelope(data: unknown): StoredEnvelope | undefined {
  if (!isObject(data) || Object.keys(data).length !== 3) return undefined;
  const { act, index, signatures } = data;
  if (!isObject(act) || !isCount(index) || !Array.isArray(signatures)) return undefined;
  const { v, ledger, command, time, signers, events } = act;
  if (v !== 1 || !isString(ledger) || !isObject(command) || !isString(time) || !ISO_TIME.test(time)) return undefined;
  if (!Array.isArray(signers) || signers.length === 0 || !signers.every(isString)) return undefined;
  if (!Array.isArray(events)) return undefined;
  const event: unknown = events[index];
  if (!isObject(event) || !isString(event['stream']) || !isCount(event['revision']) || !isString(event['type'])) return undefined;
  const prevHash = event['prevHash'];
  if (prevHash !== null && !(isString(prevHash) && HASH.test(prevHash))) return undefined;
  const wellFormed = signatures.every(
    (s) =>
      isObject(s) &&
      isString(s['signer']) &&
      isString(s['publicKey']) &&
      isString(s['signature']) &&
      (s['signedAt'] === undefined || (isString(s['signedAt']) && ISO_TIME.test(s['signedAt']))),
  );
  return wellFormed ? (data as unknown as StoredEnvelope) : undefined;
}
