import { describe, expect, it } from 'vitest';
import type { StoredEnvelope } from '../../src/domain/act.js';
import { actIdOf, appendRequestsFor } from '../../src/ledger/envelope.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { copyOf, buildOffice } from './fixture.js';

const plus = (time: string, ms: number) => new Date(Date.parse(time) + ms).toISOString();

/** Acts written around the ledger, correctly chained and signed, whose signers' times the ledger would refuse (L-TIME). */
describe('the verifier replays the signers\' times as the ledger checks them', () => {
  async function forged(receiverSignedAt: (prepared: string) => string, recordedAt: (prepared: string) => string) {
    const office = await buildOffice();
    const { kit, store } = office;
    const act = kit.ledger.prepare({ type: 'TransferCustody', data: { carrierId: 'C2', giver: 'clerk2', receiver: 'reader1', location: 'Office 12' } });
    const signatures = [kit.signatureOf(act, 'clerk2'), kit.signatureOf(act, 'reader1', undefined, receiverSignedAt(act.time))];
    await store.appendMany(appendRequestsFor(act, actIdOf(act), signatures, recordedAt(act.time)));
    const report = verifyBundle(await exportCarrierBundle('C2', { store, checkpointer: office.checkpointer }), office.trust);
    return report.issues.filter((i) => i.stream === 'carrier-C2' && i.revision === 2);
  }

  it('a signature dated after the ledger recorded the act, beyond the clock skew, fails at that event', async () => {
    const found = await forged((p) => plus(p, 3_600_000), (p) => plus(p, 1000));
    expect(found).toEqual([expect.objectContaining({ code: 'time-order', message: expect.stringMatching(/^L-TIME: reader1 signed at .* after the ledger's clock/) })]);
  });

  it('a signature dated long before the act was prepared fails at that event', async () => {
    const found = await forged((p) => plus(p, -3_600_000), (p) => plus(p, 1000));
    expect(found.map((i) => i.code)).toContain('time-order');
    expect(found.find((i) => i.code === 'time-order')!.message).toMatch(/before the act was prepared/);
  });

  it('a signer\'s time edited in a bundle breaks that signature and the chain', async () => {
    const office = await buildOffice();
    const bundle = copyOf(await exportCarrierBundle('C1', { store: office.store, checkpointer: office.checkpointer }));
    const c1 = bundle.streams.find((s) => s.stream === 'carrier-C1')!;
    const envelope = c1.events[2]!.data as unknown as StoredEnvelope;
    envelope.signatures[1]!.signedAt = plus(envelope.signatures[1]!.signedAt!, 1);
    const codes = verifyBundle(bundle, office.trust).issues.filter((i) => i.stream === 'carrier-C1' && i.revision === 2).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['hash-mismatch', 'bad-signature']));
  });
});
