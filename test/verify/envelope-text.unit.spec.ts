import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { createVerifier } from '../../src/crypto/ed25519.js';
import { checkChunk } from '../../src/verify/ledger/check-chunk.js';
import { asStoredEnvelope } from '../../src/verify/ledger/envelope-guard.js';
import { readEnvelopeText, type EnvelopeFields } from '../../src/verify/ledger/envelope-text.js';
import { keysFromPersonRows } from '../../src/verify/ledger/persons.js';
import type { Row } from '../../src/verify/ledger/source.js';
import { seeded } from '../projections/seeded.js';
import { buildOffice } from './fixture.js';

let rows: Row[];

beforeAll(async () => {
  const office = await buildOffice();
  await office.checkpointer.checkpoint();
  // As the SQLite store writes them: JSON.stringify of what was appended.
  rows = (await office.store.readAll()).map((e) => ({
    position: Number(e.position),
    stream: e.stream,
    revision: Number(e.revision),
    type: e.type,
    data: JSON.stringify(e.data),
    metadata: JSON.stringify(e.metadata),
  }));
});

/** What the slow path reads from the same text: parse, shape check, canonical act. */
function parsedFields(text: string): Omit<EnvelopeFields, 'signaturesSorted'> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const envelope = asStoredEnvelope(data);
  const event = envelope?.act.events[envelope.index];
  if (!envelope || !event) return undefined;
  const { act, index, signatures } = envelope;
  return {
    actText: canonicalJson(act),
    index,
    ledger: act.ledger,
    time: act.time,
    signers: act.signers,
    eventCount: act.events.length,
    event: { stream: event.stream, revision: event.revision, type: event.type, prevHash: event.prevHash },
    signatures: signatures.map(({ signer, publicKey, signedAt, signature }) =>
      signedAt === undefined ? { signer, publicKey, signature } : { signer, publicKey, signedAt, signature },
    ),
    signaturesText: canonicalJson(signatures),
  };
}

const withoutSorted = ({ signaturesSorted: _sorted, ...rest }: EnvelopeFields) => rest;

describe('reading a stored envelope straight from its text', () => {
  it('reads every act of a real ledger as parsing it would, and its signed text as canonicalJson writes it', () => {
    const acts = rows.filter((row) => row.stream !== 'ledger-checkpoints');
    expect(acts.length).toBeGreaterThan(20);
    for (const row of acts) {
      const fields = readEnvelopeText(row.data);
      expect(fields, row.data).toBeDefined();
      expect(withoutSorted(fields!)).toEqual(parsedFields(row.data));
      expect(fields!.signaturesSorted).toBe(true);
    }
  });

  it('leaves to the parser what it does not read exactly: other spellings and other shapes', () => {
    const [row] = rows.filter((r) => r.stream.startsWith('carrier-'));
    const envelope = JSON.parse(row!.data) as Record<string, any>;
    const act = envelope['act'];
    const event = act.events[0];
    const others = [
      JSON.stringify(envelope, null, 1),
      JSON.stringify({ ...envelope, note: 'added later' }),
      JSON.stringify({ act, extra: 'in canonical order', index: envelope['index'], signatures: envelope['signatures'] }),
      JSON.stringify({ ...envelope, index: 1 }),
      JSON.stringify({ ...envelope, act: { ...act, v: 2 } }),
      JSON.stringify({ ...envelope, act: { ...act, time: 'yesterday' } }),
      JSON.stringify({ ...envelope, act: { ...act, signers: [] } }),
      JSON.stringify({ ...envelope, act: { ...act, events: [{ ...event, prevHash: 'short' }] } }),
      JSON.stringify({ ...envelope, act: { ...act, events: [{ ...event, prevHash: undefined }] } }),
      JSON.stringify({ ...envelope, act: { ...act, events: [{ ...event, revision: -1 }] } }),
      JSON.stringify({ ...envelope, signatures: [{ signer: 'x' }] }),
      // Members out of order: the same envelope, but not the text that was hashed.
      JSON.stringify({ index: envelope['index'], act, signatures: envelope['signatures'] }),
    ];
    for (const text of others) expect(readEnvelopeText(text), text).toBeUndefined();
  });

  it('never reads random edits of a stored envelope differently from the parser', () => {
    const random = seeded(77);
    const texts = rows.filter((r) => r.stream !== 'ledger-checkpoints').map((r) => r.data);
    let read = 0;
    for (let round = 0; round < 20_000; round++) {
      const text = texts[Math.floor(random() * texts.length)]!;
      const at = Math.floor(random() * text.length);
      const edit = ['', ' ', '0', '9', 'a', 'A', '"', '\\', ',', '}', ']', '\\u0041', 'é'][Math.floor(random() * 13)]!;
      const variant = text.slice(0, at) + edit + text.slice(at + (random() < 0.5 ? 1 : 0));
      const fields = readEnvelopeText(variant);
      if (!fields) continue;
      read++;
      expect(withoutSorted(fields), variant).toEqual(parsedFields(variant));
      expect(canonicalJson(JSON.parse(variant)), variant).toBe(variant);
    }
    // Edits that keep the text canonical (a letter for a letter in a name) are read, and must agree.
    expect(read).toBeGreaterThan(1_000);
  });

  it('gives the verifier the same results whether it reads the text or parses it', () => {
    const keys = keysFromPersonRows(rows.filter((r) => r.stream.startsWith('person-')));
    const verifier = createVerifier();
    // Indented text is the same JSON, but never read in place: every event takes the parser's path.
    const spaced = rows.map((row) => ({ ...row, data: JSON.stringify(JSON.parse(row.data), null, 1), metadata: JSON.stringify(JSON.parse(row.metadata), null, 1) }));
    // Checkpoint rows are handed back as they are stored, for the main thread to read.
    const { checkpointRows: _stored, ...fast } = checkChunk(rows, keys, verifier);
    const { checkpointRows: _spaced, ...slow } = checkChunk(spaced, keys, verifier);
    expect(fast.issues).toEqual([]);
    expect(fast.signatures).toBeGreaterThan(20);
    expect(fast).toEqual(slow);
  });

  it('hashes signatures stored out of signer order as the ledger does: sorted', () => {
    const keys = keysFromPersonRows(rows.filter((r) => r.stream.startsWith('person-')));
    const verifier = createVerifier();
    const reversed = rows.map((row) => {
      if (row.stream === 'ledger-checkpoints') return row;
      const envelope = JSON.parse(row.data) as { signatures: unknown[] };
      return { ...row, data: JSON.stringify({ ...envelope, signatures: [...envelope.signatures].reverse() }) };
    });
    const cosigned = reversed.filter((row) => row.stream !== 'ledger-checkpoints' && readEnvelopeText(row.data)?.signaturesSorted === false);
    expect(cosigned.length).toBeGreaterThan(0);
    const { checkpointRows: _a, ...original } = checkChunk(rows, keys, verifier);
    const { checkpointRows: _b, ...stored } = checkChunk(reversed, keys, verifier);
    expect(stored).toEqual(original);
  });

  it('reads metadata that is not the store\'s own form by parsing it, and JSON null as no stored hash', () => {
    const keys = keysFromPersonRows(rows.filter((r) => r.stream.startsWith('person-')));
    const [row] = rows.filter((r) => r.stream.startsWith('carrier-'));
    const spaced = { ...row!, metadata: JSON.stringify(JSON.parse(row!.metadata), null, 1) };
    const wrong = { ...row!, metadata: row!.metadata.replace(/"hash":"[0-9a-f]{64}"/, `"hash":"${'0'.repeat(64)}"`) };
    const check = (metadata: string) => checkChunk([{ ...row!, metadata }], keys, createVerifier()).issues.map((found) => found.code);
    expect(check(spaced.metadata)).toEqual([]);
    expect(check(wrong.metadata)).toEqual(['hash-mismatch']);
    expect(check('null')).toEqual([]);
    expect(check('{"hash":')).toEqual(['malformed-event']);
  });
});
