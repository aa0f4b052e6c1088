import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { checkpointText } from '../../src/verify/checkpoint/checkpoint.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { cosignRequestFor } from '../../src/verify/checkpoint/proofs.js';
import { parseTrustedKey, type TrustedKey } from '../../src/verify/note/keys.js';
import { formatNote, signNoteText } from '../../src/verify/note/note.js';
import { readWitnessState, writeWitnessState } from '../../src/verify/witness/state-file.js';
import { cosignCheckpoint, initialWitnessState, witnessVerifierKey, WitnessRefused, type WitnessState } from '../../src/verify/witness/witness.js';
import { buildOffice, type Office } from './fixture.js';

const auditor = { name: 'audit-office', ...generateKeyPair() };
const auditorKey = parseTrustedKey(witnessVerifierKey(auditor.name, auditor.secretKey), 'witness') as TrustedKey;
const NOW = 1_795_000_000;

let office: Office;
let state: WitnessState;

beforeEach(async () => {
  office = await buildOffice();
  office.checkpointer = await createCheckpointer({ store: office.store, ledgerKey: office.ledgerKey, clock: office.kit.clock, witnessKeys: [auditorKey] });
  state = initialWitnessState(auditor.name, office.ledgerKey.ledgerId, office.ledgerKey.publicKey);
});

/** The ledger signs on its schedule, never for a reader: here the schedule's checkpoint is taken by hand. */
const requestFrom = async (size: number) => {
  await office.checkpointer.checkpoint();
  return cosignRequestFor(office.checkpointer, size);
};
const cosign = async (from: WitnessState) => cosignCheckpoint(from, auditor.secretKey, await requestFrom(from.size), NOW);
const refusalOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected the witness to refuse');
};

describe('a witness cosigns only checkpoints consistent with the last one it cosigned', () => {
  it('cosigns the first checkpoint and then the next, each time after checking the consistency proof', async () => {
    const first = await cosign(state);
    expect(first.state).toMatchObject({ size: 21 });
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
    const second = await cosign(first.state);
    expect(second.state).toMatchObject({ size: 22 });
    expect(second.line).toMatch(/^\u2014 audit-office [A-Za-z0-9+/]+=*\n$/u);
  });

  it('the ledger records the cosignature; a bundle then meets a witness quorum, and fails a larger one', async () => {
    const { line } = await cosign(state);
    await office.checkpointer.cosign(21, line);
    const bundle = await exportCarrierBundle('C1', { store: office.store, checkpointer: office.checkpointer });
    const witnessed = verifyBundle(bundle, { ...office.trust, trustedWitnessKeys: [auditorKey], quorum: 1 });
    expect(witnessed).toMatchObject({ ok: true, summary: { witnesses: ['audit-office'] } });
    const other = parseTrustedKey(witnessVerifierKey('second-office', generateKeyPair().secretKey), 'witness') as TrustedKey;
    const short = verifyBundle(bundle, { ...office.trust, trustedWitnessKeys: [auditorKey, other] });
    expect(short.issues).toEqual([expect.objectContaining({ code: 'witness-quorum' })]);
    expect(short.issues[0]!.message).toMatch(/cosigned by 1 of the witnesses you trust \(audit-office\); you asked for 2/);
  });

  it('the ledger refuses to record a cosignature by a witness it does not know', async () => {
    const stranger = { name: 'stranger', ...generateKeyPair() };
    const request = await requestFrom(0);
    const { line } = cosignCheckpoint(initialWitnessState(stranger.name, 'test-ledger', office.ledgerKey.publicKey), stranger.secretKey, request, NOW);
    await expect(office.checkpointer.cosign(21, line)).rejects.toMatchObject({ name: 'CheckpointRefused' });
  });

  it('refuses a fork: a second checkpoint of the size it cosigned, with another root, even signed by the ledger', async () => {
    const { state: after } = await cosign(state);
    const signed = await office.checkpointer.checkpoint();
    const forkText = checkpointText({ ...signed.checkpoint, root: new Uint8Array(32).fill(9) });
    const fork = formatNote(forkText, [signNoteText(forkText, 'test-ledger', office.ledgerKey.secretKey)]);
    const refusal = refusalOf(() => cosignCheckpoint(after, auditor.secretKey, { oldSize: after.size, proof: [], note: fork }, NOW));
    expect(refusal).toBeInstanceOf(WitnessRefused);
    expect(refusal).toMatchObject({ reason: 'fork', message: expect.stringMatching(/^fork: checkpoint 21 has root/) });
  });

  it('refuses a checkpoint whose proof does not lead from the one it cosigned', async () => {
    const { state: after } = await cosign(state);
    await office.kit.ledger.submit(office.kit.signed(office.kit.transfer('C1', 'reader2', 'clerk1')));
    const request = await requestFrom(after.size);
    const forged = { ...request, proof: request.proof.map(() => Buffer.alloc(32, 3).toString('base64')) };
    expect(refusalOf(() => cosignCheckpoint(after, auditor.secretKey, forged, NOW))).toMatchObject({ reason: 'inconsistent' });
  });

  it('refuses a request built for another size (stale), an older checkpoint, and a note the ledger did not sign', async () => {
    const early = await requestFrom(0);
    const { state: after } = cosignCheckpoint(state, auditor.secretKey, early, NOW);
    expect(refusalOf(() => cosignCheckpoint(after, auditor.secretKey, early, NOW))).toMatchObject({ reason: 'stale', size: 21 });
    const ahead = { ...after, size: 30 };
    expect(refusalOf(() => cosignCheckpoint(ahead, auditor.secretKey, { ...early, oldSize: 30 }, NOW))).toMatchObject({ reason: 'rollback' });
    const impostor = formatNote(early.note.split('\n\n')[0]! + '\n', [signNoteText(early.note.split('\n\n')[0]! + '\n', 'test-ledger', generateKeyPair().secretKey)]);
    expect(refusalOf(() => cosignCheckpoint(state, auditor.secretKey, { ...early, note: impostor }, NOW))).toMatchObject({ reason: 'untrusted' });
  });

  it('keeps its state in a small private file, written atomically', async () => {
    const { state: after } = await cosign(state);
    const dir = mkdtempSync(join(tmpdir(), 'custody-witness-'));
    try {
      const file = join(dir, 'test-ledger.witness.json');
      writeWitnessState(file, after);
      expect(readWitnessState(file)).toEqual(after);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readWitnessState(join(dir, 'missing.json'))).toMatch(/^cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
