import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { actSigningBytes } from '../../src/domain/act.js';
import { MissingSignatures, RuleViolation, StaleAct, ValidationError } from '../../src/domain/errors.js';
import { decodeBase64url, encodeBase64url } from '../../src/crypto/base64url.js';
import { sign } from '../../src/crypto/ed25519.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { ConcurrencyError, type EventStore } from '../../src/store/port.js';
import { createLedger } from '../../src/ledger/ledger.js';
import { createKit, LEDGER_ID, type Kit } from './kit.js';

let dir: string;
let store: EventStore;
let kit: Kit;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-ledger-'));
  store = createSqliteStore({ path: join(dir, 'ledger.db') });
  kit = await createKit(store);
  await kit.enrolCast();
  await kit.register('C1');
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asserts the refusal and that the store did not move. */
async function refusedWithoutAppending(attempt: () => Promise<unknown>, errorType: new (...args: never[]) => Error, pattern?: RegExp) {
  const before = await store.headPosition();
  const error = await attempt().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorType);
  if (pattern) expect((error as Error).message).toMatch(pattern);
  expect(await store.headPosition()).toBe(before);
  return error as Error;
}

describe('the command handler on a real SQLite file', () => {
  it('appends a signed hand-over at the next revision, linked to the previous event', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    expect(act.signers).toEqual(['clerk1', 'reader1']);
    const result = await kit.ledger.submit(kit.signed(act));
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ stream: 'carrier-C1', revision: 1n });
    const stored = await store.readStream('carrier-C1');
    expect(stored.map((e) => e.type)).toEqual(['CarrierRegistered', 'CustodyTransferred']);
    expect(act.events[0]?.prevHash).toBe(stored[0]?.metadata['hash']);
    expect(kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'] });
  });

  it('R-HOLD-3 waits for the receiver: an act without their signature is not appended', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    await refusedWithoutAppending(() => kit.ledger.submit(kit.signed(act, ['clerk1'])), MissingSignatures, /reader1/);
  });

  it('L-2 refuses a forged signature (made with a key that is not the signer\'s)', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const forged = { ...kit.signed(act), signatures: [kit.signatureOf(act, 'clerk1'), kit.signatureOf(act, 'reader1', kit.key('mallory'))] };
    await refusedWithoutAppending(() => kit.ledger.submit(forged), RuleViolation, /did not sign for reader1/);
  });

  it('L-2 refuses a signature by the right key over different bytes', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const good = kit.signed(act);
    const tampered = { ...good, signatures: [good.signatures[0]!, { ...good.signatures[1]!, signature: sign(kit.key('reader1').secretKey, new Uint8Array([1, 2, 3])) }] };
    await refusedWithoutAppending(() => kit.ledger.submit(tampered), RuleViolation, /signature of reader1 does not verify/);
  });

  it('L-2 refuses a signature replayed from another act', async () => {
    await kit.register('C2');
    const other = kit.transfer('C2', 'clerk1', 'reader1');
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const replayed = { act, signatures: [kit.signatureOf(act, 'clerk1'), kit.signatureOf(other, 'reader1')] };
    await refusedWithoutAppending(() => kit.ledger.submit(replayed), RuleViolation, /reader1 does not verify/);
  });

  it('L-2 refuses a signature by someone who is not a signer of the act', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const extra = { act, signatures: [...kit.signed(act).signatures, kit.signatureOf(act, 'clerk2')] };
    await refusedWithoutAppending(() => kit.ledger.submit(extra), RuleViolation, /clerk2 is not a signer/);
  });

  it('L-2 refuses a malleated signature (S + L), which tweetnacl alone would accept', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const good = kit.signed(act);
    const bytes = decodeBase64url(good.signatures[1]!.signature);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(bytes[32 + i]!);
    let malleated = s + L;
    for (let i = 0; i < 32; i++) {
      bytes[32 + i] = Number(malleated & 0xffn);
      malleated >>= 8n;
    }
    const bad = { act, signatures: [good.signatures[0]!, { ...good.signatures[1]!, signature: encodeBase64url(bytes) }] };
    await refusedWithoutAppending(() => kit.ledger.submit(bad), RuleViolation, /does not verify/);
  });

  it('L-2 refuses an act whose events were edited after signing, even if re-signed', async () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    const edited = { ...act, events: act.events.map((e) => ({ ...e, data: { ...e.data, location: 'Somewhere else' } })) };
    await refusedWithoutAppending(() => kit.ledger.submit(kit.signed(edited)), ValidationError, /not what its command decides/);
  });

  it('refuses a stale act: prepared against a head that has since moved', async () => {
    const stale = kit.transfer('C1', 'clerk1', 'reader1');
    await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk1', 'reader2')));
    await refusedWithoutAppending(() => kit.ledger.submit(kit.signed(stale)), StaleAct, /carrier-C1/);
  });

  it('R-HOLD-2 is enforced at submit time too, with nothing appended', async () => {
    await kit.register('TS1', 'top-secret');
    await refusedWithoutAppending(
      async () => kit.ledger.submit(kit.signed(kit.transfer('TS1', 'clerk1', 'reader1'))),
      RuleViolation,
      /R-HOLD-2/,
    );
  });

  it('two hand-overs prepared from the same state: exactly one appends, the other is a concurrency error', async () => {
    const a = kit.signed(kit.transfer('C1', 'clerk1', 'reader1'));
    const b = kit.signed(kit.transfer('C1', 'clerk1', 'reader2'));
    const results = await Promise.allSettled([kit.ledger.submit(a), kit.ledger.submit(b)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(ConcurrencyError);
    const stream = await store.readStream('carrier-C1');
    expect(stream.map((e) => Number(e.revision))).toEqual([0, 1]);
    const restarted = await kit.restart();
    expect(restarted.model.carriers.get('C1')).toEqual(kit.ledger.model.carriers.get('C1'));
  });

  it('a retried act is answered as recorded, not appended twice (idempotent by event id)', async () => {
    const act = kit.signed(kit.transfer('C1', 'clerk1', 'reader1'));
    await kit.ledger.submit(act);
    const position = await store.headPosition();
    const again = await kit.ledger.submit(act);
    expect(again.alreadyRecorded).toBe(true);
    expect(await store.headPosition()).toBe(position);
  });

  it('a retried act is answered as recorded even after its stream moved on', async () => {
    const act = kit.signed(kit.transfer('C1', 'clerk1', 'reader1'));
    await kit.ledger.submit(act);
    await kit.ledger.submit(kit.signed(kit.transfer('C1', 'reader1', 'reader2')));
    const position = await store.headPosition();
    expect((await kit.ledger.submit(act)).alreadyRecorded).toBe(true);
    expect(await store.headPosition()).toBe(position);
  });

  it('rebuilds the same write model from the file after a restart and keeps appending', async () => {
    await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk1', 'reader1')));
    const before = kit.ledger.model;
    const after = (await kit.restart()).model;
    expect(after.heads).toEqual(before.heads);
    expect(after.carriers).toEqual(before.carriers);
    expect(after.directory).toEqual(before.directory);
    await kit.ledger.submit(kit.signed(kit.transfer('C1', 'reader1', 'reader2')));
    expect(kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader2'] });
  });

  it('R-HOLD-4 holds under a race: a deactivation and a hand-over to that person never both succeed', async () => {
    const handOver = kit.signed(kit.transfer('C1', 'clerk1', 'reader1'));
    const deactivation = kit.signed(
      kit.ledger.prepare({ type: 'DeactivatePerson', data: { personId: 'reader1', reason: 'transferred', deactivatedBy: 'officer' } }),
    );
    const results = await Promise.allSettled([kit.ledger.submit(handOver), kit.ledger.submit(deactivation)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ rule: 'R-HOLD-4' });
  });

  it('a second ledger on the same store follows what the first appends', async () => {
    const other = await createLedger({ store, ledgerId: LEDGER_ID, clock: kit.clock });
    const following = other.follow();
    try {
      await kit.ledger.submit(kit.signed(kit.transfer('C1', 'clerk1', 'reader1')));
      await vi.waitFor(() => expect(other.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'] }));
      expect(other.model.heads).toEqual(kit.ledger.model.heads);
    } finally {
      following.close();
    }
  });

  it('signs exactly the canonical act bytes, with the domain prefix', () => {
    const act = kit.transfer('C1', 'clerk1', 'reader1');
    expect(new TextDecoder().decode(actSigningBytes(act))).toMatch(/^custody-ledger\/act\/v1\n\{"command":/);
  });
});
