import { sha256Hex } from '../../crypto/hash.js';
import { asStoredEnvelope } from './envelope-guard.js';
import { readEnvelopeText, type EnvelopeFields } from './envelope-text.js';
import { actBytes, actBytesOfText, eventHash, eventHashOfText } from './hashing.js';
import type { Row } from './source.js';

/** What the checks read from one stored envelope, however it was read. */
type Envelope = Pick<EnvelopeFields, 'ledger' | 'time' | 'signers' | 'eventCount' | 'event' | 'signatures'>;

export type Checked =
  | { ok: true; envelope: Envelope; actId: string; hash: string; bytes: Uint8Array; storedHash: string | undefined }
  | { ok: false; message: string; storedHash: string | undefined };

const NOT_JSON = { ok: false, message: 'the stored event is not JSON', storedHash: undefined } as const;

/**
 * One stored event, read for the whole-ledger check: what its act's signers signed (the act's
 * bytes, its id), its event hash recomputed, and the hash the store claims for it. Text the store
 * wrote is canonical and is read as it stands (envelope-text.ts: 10.3 µs an event for all checks but
 * the signatures, against 13.6 µs parsing it, measured alternately on one thread); anything else
 * is parsed and its act serialised canonically, which also finds the words for what is wrong.
 */
export function readStoredEvent(row: Row): Checked {
  const fields = readEnvelopeText(row.data);
  if (!fields) return readParsedEvent(row);
  const storedHash = storedHashOf(row.metadata);
  if (storedHash === UNREADABLE) return NOT_JSON;
  const bytes = actBytesOfText(fields.actText);
  const actId = sha256Hex(bytes);
  const hash = fields.signaturesSorted ? eventHashOfText(actId, fields.index, fields.signaturesText) : eventHash(actId, fields.index, fields.signatures);
  return { ok: true, envelope: fields, actId, hash, bytes, storedHash };
}

function readParsedEvent(row: Row): Checked {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return NOT_JSON;
  }
  const storedHash = storedHashOf(row.metadata);
  if (storedHash === UNREADABLE) return NOT_JSON;
  const parsed = asStoredEnvelope(data);
  const event = parsed?.act.events[parsed.index];
  if (!parsed || !event) return { ok: false, message: 'the stored event is not a signed act envelope', storedHash };
  const { act, index, signatures } = parsed;
  try {
    const bytes = actBytes(act);
    const actId = sha256Hex(bytes);
    const hash = eventHash(actId, index, signatures);
    const envelope = { ledger: act.ledger, time: act.time, signers: act.signers, eventCount: act.events.length, event, signatures };
    return { ok: true, envelope, actId, hash, bytes, storedHash };
  } catch {
    return { ok: false, message: 'the act has no canonical form, so it cannot have been signed', storedHash };
  }
}

/**
 * The metadata the SQLite store writes, `{"actId":"<64 hex>","hash":"<64 hex>"}` and, since appends
 * are timed, `{...,"recordedAt":"<ISO time>"}`, is read without a parse.
 */
const ACT_ID_AT = '{"actId":"'.length;
const HASH_AT = ACT_ID_AT + 64 + '","hash":"'.length;
const STORE_METADATA_LENGTH = HASH_AT + 64 + '"}'.length;
const RECORDED_AT = HASH_AT + 64 + '","recordedAt":"'.length;
const TIMED_METADATA_LENGTH = RECORDED_AT + '2026-01-01T00:00:00.000Z'.length + '"}'.length;

const UNREADABLE: unique symbol = Symbol('metadata is not JSON');

/** The event hash the metadata claims (undefined if none), or UNREADABLE. */
function storedHashOf(metadata: string): string | undefined | typeof UNREADABLE {
  const timed = metadata.length === TIMED_METADATA_LENGTH && metadata.startsWith('","recordedAt":"', HASH_AT + 64);
  if (
    (metadata.length === STORE_METADATA_LENGTH || timed) &&
    metadata.startsWith('{"actId":"') &&
    metadata.startsWith('","hash":"', ACT_ID_AT + 64) &&
    metadata.endsWith('"}') &&
    isLowerHex(metadata, ACT_ID_AT, ACT_ID_AT + 64) &&
    isLowerHex(metadata, HASH_AT, HASH_AT + 64)
  ) {
    return metadata.slice(HASH_AT, HASH_AT + 64);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return UNREADABLE;
  }
  const hash = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['hash'] : undefined;
  return hash === undefined ? undefined : String(hash);
}

function isLowerHex(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
