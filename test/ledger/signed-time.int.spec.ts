import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActTimeRefused, RuleViolation } from '../../src/domain/errors.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import { createKit, type Kit } from './kit.js';

/**
 * Issue 17 §1 at the ledger: a signature carries its signer's time; the act takes effect at its last
 * required signature; the ledger records when it appended it; the signers' times are checked (L-TIME).
 */

let store: EventStore;
let kit: Kit;
const plus = (time: string, ms: number) => new Date(Date.parse(time) + ms).toISOString();
const MINUTE = 60_000;

beforeEach(async () => {
  store = createMemoryStore();
  kit = await createKit(store);
  await kit.enrolCast();
  await kit.register('C1');
});
afterEach(() => store.close());

async function caught(attempt: () => Promise<unknown>): Promise<unknown> {
  return attempt().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('an act takes effect at its last required signature', () => {
  it('a hand-over prepared at P and signed by the receiver 15 s later moves custody at the receiver\'s signature, not at P', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const giverSigned = act.time;
    const receiverSigned = plus(act.time, 15_000);
    const signed = { act, signatures: [kit.signatureOf(act, 'clerk1', undefined, giverSigned), kit.signatureOf(act, 'reader1', undefined, receiverSigned)] };
    // The ledger's clock has reached the receiver's signature when it is submitted.
    for (let i = 0; i < 20; i++) kit.clock();
    await kit.ledger.submit(signed);

    const projections: ProjectionSet = await createProjections({ store });
    expect(projections.whereAt('C1', plus(receiverSigned, -1))?.holders).toEqual(['clerk1']);
    expect(projections.whereAt('C1', receiverSigned)).toMatchObject({ holders: ['reader1'], since: receiverSigned });
    expect(kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'], since: receiverSigned });
    expect(kit.ledger.model.heads.get('carrier-C1')).toMatchObject({ time: receiverSigned, preparedTime: act.time });
  });

  it('records when it appended the act beside the event, outside the signed bytes, never going back', async () => {
    const [registered] = await store.readStream('carrier-C1');
    const recordedAt = String(registered!.metadata['recordedAt']);
    expect(recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Object.keys(registered!.metadata).sort()).toEqual(['actId', 'hash', 'recordedAt']);
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    await kit.ledger.submit(kit.signed(act));
    const [, transferred] = await store.readStream('carrier-C1');
    expect(String(transferred!.metadata['recordedAt']) >= recordedAt).toBe(true);
  });

  it('L-TIME: refuses a signature dated before the act was prepared, beyond the clock skew', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const early = plus(act.time, -6 * MINUTE);
    const error = await caught(() => kit.ledger.submit({ act, signatures: [kit.signatureOf(act, 'clerk1'), kit.signatureOf(act, 'reader1', undefined, early)] }));
    expect(error).toBeInstanceOf(ActTimeRefused);
    expect(error).toMatchObject({ reason: 'signed-before-prepared', rule: 'L-TIME' });
    expect((error as Error).message).toMatch(/^L-TIME: reader1 signed at .*, before the act was prepared/);
  });

  it('L-TIME: refuses a signature dated after the ledger\'s clock, beyond the clock skew', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const late = plus(act.time, 10 * MINUTE);
    const error = await caught(() => kit.ledger.submit({ act, signatures: [kit.signatureOf(act, 'clerk1'), kit.signatureOf(act, 'reader1', undefined, late)] }));
    expect(error).toMatchObject({ reason: 'signed-in-future', rule: 'L-TIME' });
  });

  it('L-TIME: a signer\'s time cannot be changed after signing: the signature covers it', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const receiver = { ...kit.signatureOf(act, 'reader1'), signedAt: plus(act.time, 1000) };
    const error = await caught(() => kit.ledger.submit({ act, signatures: [kit.signatureOf(act, 'clerk1'), receiver] }));
    expect(error).toBeInstanceOf(RuleViolation);
    expect((error as RuleViolation).rule).toBe('L-2');
  });

  it('L-TIME: a carrier\'s acts take effect in the order they are appended', async () => {
    const first = kit.transfer('C1', 'clerk1', 'reader1');
    const firstEffective = plus(first.time, 4 * MINUTE);
    for (let i = 0; i < 300; i++) kit.clock();
    await kit.ledger.submit({ act: first, signatures: [kit.signatureOf(first, 'clerk1'), kit.signatureOf(first, 'reader1', undefined, firstEffective)] });
    const second = kit.transfer('C1', 'reader1', 'reader2');
    // Signed within the skew of its preparation, but before the hand-over it follows took effect.
    const tooEarly = plus(firstEffective, -1);
    const error = await caught(() => kit.ledger.submit({ act: second, signatures: [kit.signatureOf(second, 'reader1', undefined, tooEarly), kit.signatureOf(second, 'reader2', undefined, tooEarly)] }));
    expect(error).toMatchObject({ reason: 'before-head', rule: 'L-TIME' });
    await kit.ledger.submit({ act: second, signatures: [kit.signatureOf(second, 'reader1', undefined, firstEffective), kit.signatureOf(second, 'reader2', undefined, firstEffective)] });
  });

  it('still accepts v1 signatures (no time, over the act\'s bytes): the act takes effect at its prepared time', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    for (let i = 0; i < 20; i++) kit.clock();
    await kit.ledger.submit({ act, signatures: [kit.v1SignatureOf(act, 'clerk1'), kit.signatureOf(act, 'reader1', undefined, plus(act.time, 15_000))] });
    expect(kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'], since: act.time });
    const [, stored] = await store.readStream('carrier-C1');
    const signatures = (stored!.data as { signatures: Array<Record<string, unknown>> }).signatures;
    expect(signatures.map((s) => 'signedAt' in s)).toEqual([false, true]);
  });
});
