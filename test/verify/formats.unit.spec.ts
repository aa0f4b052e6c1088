import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { checkpointText, parseCheckpointText, type Checkpoint } from '../../src/verify/checkpoint/checkpoint.js';
import { verifySignedCheckpoint } from '../../src/verify/checkpoint/verify-checkpoint.js';
import { canonicalJsonOfParsed } from '../../src/verify/ledger/fast-canonical.js';
import { progressLine } from '../../src/verify/ledger/progress.js';
import { parseTrustedKey, verifierKeyText } from '../../src/verify/note/keys.js';
import { cosignNoteText, formatNote, parseNote, signNoteText } from '../../src/verify/note/note.js';

const checkpoint: Checkpoint = {
  origin: 'ledger-0123456789abcdef',
  size: 42,
  root: new Uint8Array(32).fill(1),
  time: '2026-11-23T09:00:00.000Z',
  heads: { count: 7, root: new Uint8Array(32).fill(2) },
};
const ledger = generateKeyPair();
const witness = generateKeyPair();

describe('checkpoints in the C2SP tlog-checkpoint text format', () => {
  it('is origin, size, base64 root, then the time and heads extension lines', () => {
    expect(checkpointText(checkpoint)).toBe(
      'ledger-0123456789abcdef\n42\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\ntime 2026-11-23T09:00:00.000Z\nheads 7 AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=\n',
    );
    expect(parseCheckpointText(checkpointText(checkpoint))).toEqual(checkpoint);
  });

  it('a malformed checkpoint text is refused with the line at fault named', () => {
    expect(parseCheckpointText('o\n042\nAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\ntime 2026-11-23T09:00:00.000Z\nheads 1 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n')).toMatch(/size "042"/);
    expect(parseCheckpointText(checkpointText(checkpoint).replace('time 2026', 'time 1999-99'))).toMatch(/"time" line/);
    expect(parseCheckpointText('o\n1\nroot\n')).toMatch(/5 lines/);
  });
});

describe('signed notes and cosignatures (C2SP signed-note, tlog-cosignature/v1)', () => {
  const text = checkpointText(checkpoint);
  const signed = formatNote(text, [signNoteText(text, checkpoint.origin, ledger.secretKey)]);
  const ledgerKey = parseTrustedKey(verifierKeyText(checkpoint.origin, ledger.publicKey, 'ledger'), 'ledger');
  const witnessKey = parseTrustedKey(verifierKeyText('auditor', witness.publicKey, 'witness'), 'witness');
  if (typeof ledgerKey === 'string' || typeof witnessKey === 'string') throw new Error('keys');

  it('a signature line is an em dash, the key name, and base64 of key hash and signature', () => {
    expect(signed).toMatch(/^ledger-0123456789abcdef\n42\n[^]*\n\n\u2014 ledger-0123456789abcdef [A-Za-z0-9+/]{91}=\n$/u);
    expect(parseNote(signed)).toMatchObject({ text, signatures: [{ name: checkpoint.origin }] });
  });

  it('verifies with the trusted ledger key and a trusted witness\'s cosignature, with the witness named', () => {
    const cosigned = signed + cosignNoteText(text, 'auditor', witness.secretKey, 1_795_000_000);
    const checked = verifySignedCheckpoint(cosigned, { trustedLedgerKeys: [ledgerKey], trustedWitnessKeys: [witnessKey], quorum: 1 });
    expect(checked).toMatchObject({ issues: [], witnesses: ['auditor'], checkpoint: { size: 42 } });
  });

  it('a key signing under a name other than the ledger\'s is not the ledger\'s signature', () => {
    const bareKey = parseTrustedKey(ledger.publicKey, 'ledger');
    if (typeof bareKey === 'string') throw new Error(bareKey);
    const renamed = formatNote(text, [signNoteText(text, 'someone-else', ledger.secretKey)]);
    expect(verifySignedCheckpoint(renamed, { trustedLedgerKeys: [bareKey] }).issues.map((i) => i.code)).toEqual(['untrusted-checkpoint']);
  });

  it('an altered text fails the trusted signature; an altered cosignature fails the witness', () => {
    const altered = signed.replace('\n42\n', '\n43\n');
    expect(verifySignedCheckpoint(altered, { trustedLedgerKeys: [ledgerKey] }).issues.map((i) => i.code)).toEqual(['bad-checkpoint-signature']);
    const line = cosignNoteText(text, 'auditor', witness.secretKey, 1_795_000_000);
    const badLine = line.slice(0, 30) + (line[30] === 'A' ? 'B' : 'A') + line.slice(31);
    const checked = verifySignedCheckpoint(signed + badLine, { trustedLedgerKeys: [ledgerKey], trustedWitnessKeys: [witnessKey] });
    expect(checked.issues.map((i) => i.code)).toEqual(['bad-cosignature', 'witness-quorum']);
  });

  it('a note that is not one is refused as data, saying why', () => {
    expect(parseNote('no blank line\n')).toMatch(/no blank line/);
    expect(parseNote(`${text}\nnot a signature\n`)).toMatch(/not a signature line/);
    expect(verifySignedCheckpoint('garbage', { trustedLedgerKeys: [ledgerKey] }).issues).toEqual([expect.objectContaining({ code: 'malformed-checkpoint' })]);
  });

  it('trusted keys are read as verifier keys, JSON key files or bare public keys, and anything else is refused', () => {
    expect(parseTrustedKey(JSON.stringify({ ledgerId: 'L1', publicKey: ledger.publicKey, secretKey: ledger.secretKey }), 'ledger')).toEqual({ name: 'L1', publicKey: ledger.publicKey, algorithm: 1 });
    expect(parseTrustedKey(ledger.publicKey, 'ledger')).toEqual({ publicKey: ledger.publicKey, algorithm: 1 });
    expect(parseTrustedKey(verifierKeyText('auditor', witness.publicKey, 'witness'), 'ledger')).toMatch(/algorithm 0x04; a ledger key has 0x01/);
    expect(parseTrustedKey('{"name":"x"}', 'ledger')).toMatch(/no "publicKey"/);
    expect(parseTrustedKey('AAAA', 'ledger')).toMatch(/not an Ed25519 public key/);
  });
});

describe('canonical JSON of parsed data, the whole-ledger verifier\'s fast path', () => {
  const samples: unknown[] = [
    { b: 1, a: [true, null, -0, 'x\u2028y'], c: { 'é': 'ü', '\u0000': '\t"\\' }, d: 9007199254740991 },
    JSON.parse('{"act":{"z":1,"__proto__":{"x":1},"events":[{"data":{"k":"😀"}}]},"index":0}'),
    [],
    'plain',
    // Already in canonical order (the fast path), and the near misses that must take the slow one:
    JSON.parse('{"a":[1,{"b":"\\\\ud800 is text","c":null}],"d":"\\u2028"}'),
    JSON.parse('{"10":1,"9":2}'),
    JSON.parse('{"a":1,"A":2}'),
    JSON.parse('{"b":{"y":1,"x":2},"a":0}'),
  ];

  it('gives exactly canonicalJson\'s text', () => {
    for (const value of samples) expect(canonicalJsonOfParsed(value)).toBe(canonicalJson(value));
  });

  it('refuses what canonicalJson refuses, with its message naming the path', () => {
    expect(() => canonicalJsonOfParsed({ a: { b: 1.5 } })).toThrow('canonicalJson: $.a.b: 1.5 is not a safe integer');
    expect(() => canonicalJsonOfParsed({ s: '\ud800' })).toThrow(/\$\.s: string contains a lone UTF-16 surrogate/);
    // Sorted keys do not let a non-canonical value through the fast path.
    expect(() => canonicalJsonOfParsed(JSON.parse('{"a":1.5,"b":"\\udc00"}'))).toThrow(/\$\.a: 1.5 is not a safe integer/);
    expect(() => canonicalJsonOfParsed(JSON.parse('{"a":"\\udc00"}'))).toThrow(/\$\.a: string contains a lone UTF-16 surrogate/);
    expect(() => canonicalJsonOfParsed(JSON.parse('{"a":9007199254740993}'))).toThrow(/not a safe integer/);
  });
});

describe('the progress line', () => {
  it('shows the bar, the share done, the counts and the rate', () => {
    expect(progressLine({ events: 500_000, total: 1_000_000 }, 25_000, 10)).toBe('[#####-----]  50%  500,000/1,000,000 events  20,000/s');
  });
});
