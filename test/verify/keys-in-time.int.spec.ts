import { describe, expect, it } from 'vitest';
import type { StoredEnvelope } from '../../src/domain/act.js';
import { actIdOf, appendRequestsFor } from '../../src/ledger/envelope.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { buildOffice } from './fixture.js';

describe('L-2 signatures are judged by the key valid at the act\'s time', () => {
  it('an event signed with a key later revoked from before its time fails at that event', async () => {
    const office = await buildOffice();
    const { kit, store } = office;
    const c1 = await store.readStream('carrier-C1');
    const signedByReader2 = c1.find((e) => (e.data as unknown as StoredEnvelope).act.signers.includes('reader2'))!;
    const { time } = (signedByReader2.data as unknown as StoredEnvelope).act;
    // The key turned up on a stolen laptop: revoked from the moment it signed the hand-over.
    await kit.perform({
      type: 'RevokePersonKey',
      data: { personId: 'reader2', publicKey: kit.key('reader2').publicKey, revokedFrom: time, reason: 'found on a stolen laptop', revokedBy: 'officer' },
    });
    const bundle = await exportCarrierBundle('C1', { store, checkpointer: office.checkpointer });

    const report = verifyBundle(bundle, office.trust);

    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'invalid-key', stream: 'carrier-C1', revision: Number(signedByReader2.revision), position: Number(signedByReader2.position) }),
    ]);
    expect(report.issues[0]!.message).toMatch(/reader2's key was not valid/);
  });

  it('an event backdated to before its signers\' keys existed fails at that event', async () => {
    const office = await buildOffice();
    const { kit, store } = office;
    // A rogue operator writes, around the ledger, a hand-over of C2 dated the day before anyone was
    // enrolled, signed with the real keys of the two people, correctly chained to C2's stream.
    const act = kit.ledger.prepare(
      { type: 'TransferCustody', data: { carrierId: 'C2', giver: 'clerk2', receiver: 'reader1', location: 'Office 12' } },
      '2026-11-22T12:00:00.000Z',
    );
    const { signatures } = kit.signed(act);
    await store.appendMany(appendRequestsFor(act, actIdOf(act), signatures));
    const bundle = await exportCarrierBundle('C2', { store, checkpointer: office.checkpointer });

    const report = verifyBundle(bundle, office.trust);

    expect(report.ok).toBe(false);
    const atForged = report.issues.filter((i) => i.stream === 'carrier-C2' && i.revision === 2);
    expect(atForged.map((i) => i.code)).toEqual(['invalid-key', 'invalid-key', 'time-order']);
    expect(report.issues).toEqual(atForged);
  });

  it('a key rotation verifies: the person signs it with the key being retired, at the moment it retires', async () => {
    const office = await buildOffice();
    const bundle = await exportCarrierBundle('C2', { store: office.store, checkpointer: office.checkpointer });
    const rotation = bundle.streams.find((s) => s.stream === 'person-clerkB')!.events[1]!;
    expect(rotation.type).toBe('PersonKeyRotated');
    expect(verifyBundle(bundle, office.trust).issues).toEqual([]);
  });
});
