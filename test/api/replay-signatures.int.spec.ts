import { beforeEach, describe, expect, it } from 'vitest';
import { createApiKit, type ApiKit } from './kit.js';

// Issue 16 hole 6: replaying an appended act with other signatures answered 201, and GET /acts/{id}
// then showed the forged ones. The signatures shown are the stored ones; a forged replay is refused.
let api: ApiKit;
beforeEach(async () => {
  api = await createApiKit();
});

const forged = (signature: string) => `${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;

describe('a replay of an appended act', () => {
  it('with the signatures recorded is answered as appended, and GET /acts/{id} shows those signatures', async () => {
    const act = api.kit.ledger.prepare(api.transfer('C1', 'clerk1', 'reader1'));
    const signed = api.kit.signed(act);
    await api.kit.ledger.submit(signed);
    const replay = await api.call('POST', '/acts', { token: await api.login('clerk1'), json: signed });
    expect(replay.status).toBe(201);
    const shown = await api.call('GET', `/acts/${replay.body.actId}`, { token: await api.login('clerk1') });
    expect(shown.body.signatures).toEqual(expect.arrayContaining(signed.signatures));
  });

  it('with signatures that are not the recorded ones is refused (L-2), and nothing forged is ever shown', async () => {
    const act = api.kit.ledger.prepare(api.transfer('C1', 'clerk1', 'reader1'));
    const signed = api.kit.signed(act);
    const { actId } = await api.kit.ledger.submit(signed);
    const tampered = { ...signed, signatures: signed.signatures.map((s) => ({ ...s, signature: forged(s.signature) })) };
    const reply = await api.refusedWithoutAppending(422, async () => api.call('POST', '/acts', { token: await api.login('clerk1'), json: tampered }));
    expect(reply.body).toMatchObject({ rule: 'L-2', detail: expect.stringMatching(/already in the ledger.*signatures recorded/) });
    const shown = await api.call('GET', `/acts/${actId}`, { token: await api.login('clerk1') });
    const signatures: unknown[] = shown.status === 200 ? shown.body.signatures : [];
    for (const s of tampered.signatures) expect(signatures).not.toContainEqual(s);
  });

  it('with some of the recorded signatures is answered as appended, and shows all the recorded ones', async () => {
    const act = api.kit.ledger.prepare(api.transfer('C1', 'clerk1', 'reader1'));
    const signed = api.kit.signed(act);
    await api.kit.ledger.submit(signed);
    const partial = { ...signed, signatures: signed.signatures.slice(0, 1) };
    const replay = await api.call('POST', '/acts', { token: await api.login(partial.signatures[0]!.signer), json: partial });
    expect(replay.status).toBe(201);
    const shown = await api.call('GET', `/acts/${replay.body.actId}`, { token: await api.login('clerk1') });
    expect(shown.body.signatures).toHaveLength(signed.signatures.length);
  });
});
