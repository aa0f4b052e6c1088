import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKit, storeSnapshot, type ApiKit } from './kit.js';

let api: ApiKit;
beforeEach(async () => {
  api = await createApiKit();
});
// Every refusal is a 4xx problem; nothing a client sends may end in a 500.
afterEach(() => expect(api.unexpected).toEqual([]));

/** clerk1 hands C1 to reader1 and signs alone: the act waits for reader1. */
async function pendingHandOver() {
  const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
  const reply = await api.submit('clerk1', act, ['clerk1']);
  return { act, reply, actId: reply.body.actId as string };
}

describe('the co-signing inbox', () => {
  it('R-HOLD-3: a hand-over signed by the giver waits (202) until the receiver signs from their inbox (201)', async () => {
    const before = await storeSnapshot(api.store);
    const { act, reply, actId } = await pendingHandOver();
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'pending', missing: ['reader1'] });
    expect(Date.parse(reply.body.expiresAt) - Date.parse(act.time)).toBe(72 * 3_600_000);
    expect(await storeSnapshot(api.store)).toBe(before);
    expect(api.kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['clerk1'] });

    const reader = await api.login('reader1');
    const inbox = await api.call('GET', '/inbox', { token: reader });
    expect(inbox.body.items).toEqual([
      {
        actId,
        summary: 'receive carrier C1 from clerk1',
        command: 'TransferCustody',
        carriers: ['C1'],
        requestedBy: 'clerk1',
        missing: ['reader1'],
        expiresAt: reply.body.expiresAt,
        act,
      },
    ]);
    expect((await api.call('GET', '/inbox', { token: await api.login('clerk1') })).body.items).toEqual([]);

    const signed = await api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(act, 'reader1') });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ status: 'appended', actId, events: [{ stream: 'carrier-C1', revision: '1' }] });
    expect(api.kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'] });
    expect((await api.call('GET', '/inbox', { token: reader })).body.items).toEqual([]);
    expect((await api.call('GET', `/acts/${actId}`, { token: reader })).body).toMatchObject({ status: 'appended', missing: [] });
  });

  it('submitting the same act again with the missing signature merges it and appends', async () => {
    const { act } = await pendingHandOver();
    const reply = await api.submit('reader1', act, ['reader1']);
    expect(reply.status).toBe(201);
    expect(api.kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'] });
  });

  it('R-TRANSPORT-2: two couriers sign a dispatch on their own, the act appended with the second', async () => {
    await api.kit.register('TS1', 'top-secret');
    const act = await api.prepare('clerk1', {
      type: 'DispatchTransport',
      data: { carrierIds: ['C1', 'TS1'], transportId: 'T1', giver: 'clerk1', couriers: ['courier1', 'courier2'], destination: { registry: 'R2' }, leavesPremises: true, seal: 'S-7' },
    });
    const first = await api.submit('clerk1', act, ['clerk1']);
    expect(first.body.missing).toEqual(['courier1', 'courier2']);
    const courier1 = await api.login('courier1');
    const item = (await api.call('GET', '/inbox', { token: courier1 })).body.items[0];
    expect(item.summary).toBe('co-sign transport T1 of C1, TS1 as courier');
    const second = await api.call('POST', `/acts/${first.body.actId}/signatures`, { token: courier1, json: api.kit.signatureOf(act, 'courier1') });
    expect(second).toMatchObject({ status: 202, body: { missing: ['courier2'] } });
    const courier2 = await api.login('courier2');
    const third = await api.call('POST', `/acts/${first.body.actId}/signatures`, { token: courier2, json: api.kit.signatureOf(act, 'courier2') });
    expect(third.status).toBe(201);
    expect(third.body.events.map((e: { stream: string }) => e.stream)).toEqual(['carrier-C1', 'carrier-TS1']);
  });

  it('a signer declines: the act is closed, leaves the inbox, and further signatures are refused with 409', async () => {
    const { act, actId } = await pendingHandOver();
    const reader = await api.login('reader1');
    const declined = await api.call('POST', `/acts/${actId}/decline`, { token: reader, json: { reason: 'not expecting this carrier' } });
    expect(declined).toMatchObject({ status: 200, body: { status: 'declined', actId } });
    expect((await api.call('GET', '/inbox', { token: reader })).body.items).toEqual([]);
    const view = await api.call('GET', `/acts/${actId}`, { token: await api.login('clerk1') });
    expect(view.body).toMatchObject({ status: 'declined', declinedBy: 'reader1', reason: 'not expecting this carrier' });
    const late = await api.refusedWithoutAppending(409, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(act, 'reader1') }),
    );
    expect(late.body).toMatchObject({ type: 'urn:custody-ledger:problem:act-not-pending', reason: 'declined' });
  });

  it('a pending act expires after the policy\'s hours: gone from the inbox, its last signature refused with 409', async () => {
    const { act, actId } = await pendingHandOver();
    api.clock.advanceHours(73);
    const reader = await api.login('reader1');
    expect((await api.call('GET', '/inbox', { token: reader })).body.items).toEqual([]);
    const late = await api.refusedWithoutAppending(409, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(act, 'reader1') }),
    );
    expect(late.body.reason).toBe('expired');
    expect((await api.call('GET', `/acts/${actId}`, { token: reader })).body.status).toBe('expired');
  });

  it('a pending act whose carrier moved on is refused as stale (409) when its last signature arrives, and marked so', async () => {
    const { act, actId } = await pendingHandOver();
    await api.kit.perform(api.transfer('C1', 'clerk1', 'reader2'));
    const reader = await api.login('reader1');
    const late = await api.refusedWithoutAppending(409, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(act, 'reader1') }),
    );
    expect(late.body.type).toMatch(/stale-act|act-not-pending/);
    expect((await api.call('GET', `/acts/${actId}`, { token: reader })).body.status).toBe('stale');
  });

  it('a signature added by a signer for the wrong act body is refused with 422 and the act keeps waiting', async () => {
    const { actId } = await pendingHandOver();
    await api.kit.register('C2');
    const other = await api.prepare('clerk1', api.transfer('C2', 'clerk1', 'reader1'));
    const reader = await api.login('reader1');
    const reply = await api.refusedWithoutAppending(422, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(other, 'reader1') }),
    );
    expect(reply.body.rule).toBe('L-2');
    expect((await api.call('GET', '/inbox', { token: reader })).body.items.map((i: { actId: string }) => i.actId)).toEqual([actId]);
  });

  it('only signers add signatures or decline (403); only signers, officers and investigators see the act (else 404)', async () => {
    const { act, actId } = await pendingHandOver();
    const officer = await api.login('officer');
    const reader2 = await api.login('reader2');
    expect((await api.call('GET', `/acts/${actId}`, { token: officer })).body).toMatchObject({ status: 'pending', missing: ['reader1'] });
    const hidden = await api.refusedWithoutAppending(404, () => api.call('GET', `/acts/${actId}`, { token: reader2 }));
    const unknown = await api.refusedWithoutAppending(404, () => api.call('GET', `/acts/${'0'.repeat(64)}`, { token: reader2 }));
    expect(hidden.body.title).toBe(unknown.body.title);
    await api.refusedWithoutAppending(404, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: reader2, json: api.kit.signatureOf(act, 'reader1') }),
    );
    await api.refusedWithoutAppending(403, () =>
      api.call('POST', `/acts/${actId}/signatures`, { token: officer, json: api.kit.signatureOf(act, 'reader1') }),
    );
    await api.refusedWithoutAppending(403, () => api.call('POST', `/acts/${actId}/decline`, { token: officer, json: { reason: 'no' } }));
    await api.refusedWithoutAppending(400, () => api.call('GET', '/acts/not-an-id', { token: officer }));
  });

  it('the last signature arriving twice at once appends once; both callers hear it was appended', async () => {
    const { act, actId } = await pendingHandOver();
    const reader = await api.login('reader1');
    const position = await api.store.headPosition();
    const [viaSignature, viaResubmit] = await Promise.all([
      api.call('POST', `/acts/${actId}/signatures`, { token: reader, json: api.kit.signatureOf(act, 'reader1') }),
      api.submit('reader1', act),
    ]);
    expect([viaSignature.status, viaResubmit.status]).toEqual([201, 201]);
    expect(viaSignature.body.events).toEqual(viaResubmit.body.events);
    expect(await api.store.headPosition()).toBe(position + 1n);
    expect(api.kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'], version: 2 });
  });

  it('400 for malformed signature and decline bodies, naming the field; the act keeps waiting', async () => {
    const { act, actId } = await pendingHandOver();
    const reader = await api.login('reader1');
    const good = api.kit.signatureOf(act, 'reader1');
    for (const json of [{ ...good, signature: 'short' }, { ...good, signer: 42 }, { ...good, extra: true }, {}]) {
      await api.refusedWithoutAppending(400, () => api.call('POST', `/acts/${actId}/signatures`, { token: reader, json }));
    }
    await api.refusedWithoutAppending(400, () => api.call('POST', `/acts/${actId}/signatures`, { token: reader, raw: '{"signer":' }));
    const emptyReason = await api.refusedWithoutAppending(400, () => api.call('POST', `/acts/${actId}/decline`, { token: reader, json: { reason: '' } }));
    expect(emptyReason.body.issues[0].path).toEqual(['reason']);
    expect((await api.call('GET', `/acts/${actId}`, { token: reader })).body.status).toBe('pending');
  });
});
