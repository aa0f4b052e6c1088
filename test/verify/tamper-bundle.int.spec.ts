import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import type { CarrierBundle } from '../../src/verify/bundle/schema.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { checkpointText, parseCheckpointText } from '../../src/verify/checkpoint/checkpoint.js';
import type { Issue } from '../../src/verify/issues.js';
import { formatNote, parseNote, signNoteText } from '../../src/verify/note/note.js';
import { buildOffice, copyOf, type Office } from './fixture.js';

let office: Office;
let bundle: CarrierBundle;

beforeAll(async () => {
  office = await buildOffice();
  await office.checkpointer.checkpoint();
  await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
  bundle = await exportCarrierBundle('C1', { store: office.store, checkpointer: office.checkpointer });
});

const verify = (b: unknown, trust = office.trust) => verifyBundle(b, trust);
const streamOf = (b: CarrierBundle, name: string) => b.streams.find((s) => s.stream === name)!;
const c1 = (b: CarrierBundle) => streamOf(b, 'carrier-C1');
type Envelope = { act: { time: string; events: Array<{ data: Record<string, unknown> }> }; index: number; signatures: Array<{ signature: string }> };
const envelopeOf = (b: CarrierBundle, revision: number) => c1(b).events[revision]!.data as unknown as Envelope;
const codesAt = (issues: Issue[], stream: string, revision: number) => issues.filter((i) => i.stream === stream && i.revision === revision).map((i) => i.code);

describe('an untouched carrier bundle', () => {
  it('verifies with nothing but the ledger\'s public key', () => {
    const report = verify(copyOf(bundle));
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary).toMatchObject({ streams: 12, checkpointSize: bundle.streams.reduce((n, s) => n + s.events.length, 0) + 2 });
  });

  it('says which act it could not replay for want of other carriers\' streams, without failing', () => {
    const report = verify(copyOf(bundle));
    expect(report.notices).toEqual([expect.objectContaining({ code: 'not-replayed', stream: 'carrier-C1', revision: 1 })]);
    expect(report.notices[0]!.message).toMatch(/HandOverDuty also covers C2/);
  });
});

describe('each kind of tampering fails verification and names the event', () => {
  it('edited data: a changed receiver fails the signatures and the inclusion proof of that event', () => {
    const b = copyOf(bundle);
    envelopeOf(b, 2).act.events[envelopeOf(b, 2).index]!.data['to'] = 'reader2';
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(codesAt(report.issues, 'carrier-C1', 2)).toEqual(expect.arrayContaining(['bad-signature', 'inclusion-failed']));
  });

  it('edited signature: one changed character fails that signature', () => {
    const b = copyOf(bundle);
    const signature = envelopeOf(b, 3).signatures[0]!;
    signature.signature = (signature.signature[0] === 'A' ? 'B' : 'A') + signature.signature.slice(1);
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(codesAt(report.issues, 'carrier-C1', 3)).toContain('bad-signature');
  });

  it('swapped events: two events exchanged in place fail at the first of them', () => {
    const b = copyOf(bundle);
    const [two, three] = [c1(b).events[2]!, c1(b).events[3]!];
    [two.data, three.data, two.metadata, three.metadata, two.type, three.type] = [three.data, two.data, three.metadata, two.metadata, three.type, two.type];
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(report.issues.find((i) => i.stream === 'carrier-C1')).toMatchObject({ code: 'wrong-position', revision: 2 });
    expect(codesAt(report.issues, 'carrier-C1', 2)).toContain('inclusion-failed');
  });

  it('dropped event: the gap is reported where it is', () => {
    const b = copyOf(bundle);
    c1(b).events.splice(2, 1);
    const report = verify(b);
    expect(report.ok).toBe(false);
    const gap = report.issues.find((i) => i.code === 'missing-events');
    expect(gap).toMatchObject({ stream: 'carrier-C1', revision: 3 });
    expect(gap!.message).toMatch(/revision 2 of carrier-C1 is missing/);
  });

  it('dropped tail: a stream cut short is caught by the head the checkpoint commits to', () => {
    const b = copyOf(bundle);
    const head = c1(b).head.revision;
    c1(b).events.splice(-2, 2);
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'truncated-stream', stream: 'carrier-C1', revision: head })]);
    expect(report.issues[0]!.message).toMatch(new RegExp(`revisions ${head - 1}..${head} are missing`));
  });

  it('dropped tail with a forged head: the head no longer matches the checkpoint', () => {
    const b = copyOf(bundle);
    c1(b).events.splice(-1, 1);
    const last = c1(b).events[c1(b).events.length - 1]!;
    c1(b).head = { ...c1(b).head, revision: last.revision, hash: String(last.metadata['hash']) };
    const report = verify(b);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'heads-mismatch', stream: 'carrier-C1' })]);
  });

  it('dropped whole stream: a copy left out of the lineage is named', () => {
    const b = copyOf(bundle);
    b.streams = b.streams.filter((s) => s.stream !== 'carrier-C1-copy-1');
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'missing-stream', stream: 'carrier-C1' })]);
    expect(report.issues[0]!.message).toMatch(/carrier-C1-copy-1 is not in the bundle/);
  });

  it('dropped whole stream: a signer\'s person stream left out leaves their signatures unverifiable', () => {
    const b = copyOf(bundle);
    b.streams = b.streams.filter((s) => s.stream !== 'person-reader1');
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['missing-stream', 'unknown-signer']));
    expect(report.issues.find((i) => i.code === 'missing-stream')).toMatchObject({ stream: 'carrier-C1', revision: 2 });
  });

  it('a checkpoint signed by a key you do not trust fails, however well it verifies under its own key', () => {
    const stranger = generateKeyPair();
    const report = verify(copyOf(bundle), { trustedLedgerKeys: [{ name: 'test-ledger', publicKey: stranger.publicKey, algorithm: 1 }] });
    expect(report.ok).toBe(false);
    // The bundle's checkpoint, and the earlier one it carries, both fail: neither is signed by the key you trust.
    expect(report.issues.map((i) => i.code)).toEqual(['untrusted-checkpoint', 'untrusted-checkpoint']);
    expect(report.issues[0]!.message).toMatch(/^the checkpoint is not signed by any ledger key you trust/);
  });

  it('a checkpoint re-signed by an impostor\'s key fails against the trusted one', () => {
    const b = copyOf(bundle);
    const note = parseNote(b.checkpoint);
    if (typeof note === 'string') throw new Error(note);
    b.checkpoint = formatNote(note.text, [signNoteText(note.text, 'test-ledger', generateKeyPair().secretKey)]);
    expect(verify(b).issues.map((i) => i.code)).toEqual(['untrusted-checkpoint']);
  });

  it('a fork: an earlier checkpoint of the same size with a different root, signed by the ledger, is reported', () => {
    const b = copyOf(bundle);
    const note = parseNote(b.checkpoint);
    if (typeof note === 'string') throw new Error(note);
    const real = parseCheckpointText(note.text);
    if (typeof real === 'string') throw new Error(real);
    const forkText = checkpointText({ ...real, root: new Uint8Array(32).fill(7) });
    b.history.push({ checkpoint: formatNote(forkText, [signNoteText(forkText, 'test-ledger', office.ledgerKey.secretKey)]), proof: [] });
    const report = verify(b);
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => i.code)).toEqual(['fork']);
    expect(report.issues[0]!.message).toMatch(new RegExp(`both have size ${real.size} but different roots`));
  });

  it('an earlier checkpoint the bundle\'s checkpoint does not extend is reported', () => {
    const b = copyOf(bundle);
    b.history[0]!.proof = b.history[0]!.proof.map(() => Buffer.alloc(32, 1).toString('base64'));
    expect(verify(b).issues.map((i) => i.code)).toEqual(['inconsistent-checkpoints']);
  });

  it('a stored event type that is not the one its act gives it is reported at that event', () => {
    const b = copyOf(bundle);
    c1(b).events[3]!.type = 'CarrierDestroyed';
    expect(verify(b).issues).toEqual([expect.objectContaining({ code: 'malformed-event', stream: 'carrier-C1', revision: 3 })]);
  });

  it('a policy the verifier does not know is said once, and the carrier acts are left unreplayed', () => {
    const b = copyOf(bundle);
    b.policy = 'regional-2027';
    const report = verify(b);
    expect(report.ok).toBe(true);
    expect(report.notices.filter((n) => /regional-2027/.test(n.message))).toHaveLength(1);
  });

  it('input that is not a bundle is reported as data, naming the field', () => {
    const report = verify({ format: 'custody-ledger/bundle/v1', kind: 'carrier' });
    expect(report.ok).toBe(false);
    expect(report.issues[0]).toMatchObject({ code: 'malformed-bundle' });
    expect(report.issues.map((i) => i.message).join(' ')).toMatch(/ledgerId/);
  });
});
