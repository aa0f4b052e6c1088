import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/crypto/ed25519.js';
import { MAX_BODY_BYTES } from '../../src/api/app.js';
import { createApiKit, type ApiKit } from './kit.js';

let api: ApiKit;
beforeEach(async () => {
  api = await createApiKit();
});
// Every refusal is a 4xx problem; nothing a client sends may end in a 500.
afterEach(() => expect(api.unexpected).toEqual([]));

describe('POST /acts/prepare', () => {
  it('returns the unsigned act at the current head, its id and its signers, and stores nothing', async () => {
    const token = await api.login('clerk1');
    const before = await api.store.headPosition();
    const reply = await api.call('POST', '/acts/prepare', { token, json: { command: api.transfer('C1', 'clerk1', 'reader1') } });
    expect(reply.status).toBe(200);
    expect(reply.body.signers).toEqual(['clerk1', 'reader1']);
    expect(reply.body.actId).toMatch(/^[0-9a-f]{64}$/);
    expect(reply.body.act).toMatchObject({ v: 1, command: { type: 'TransferCustody' }, events: [{ stream: 'carrier-C1', revision: 1 }] });
    expect(await api.store.headPosition()).toBe(before);
  });

  it('400 names every malformed field of the command', async () => {
    const token = await api.login('clerk1');
    const reply = await api.refusedWithoutAppending(400, () =>
      api.call('POST', '/acts/prepare', {
        token,
        json: { command: { type: 'TransferCustody', data: { carrierId: 7, giver: 'clerk1', receiver: '', location: 'x', extra: 1 } } },
      }),
    );
    const paths = reply.body.issues.map((i: { path: unknown[] }) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['command.data.carrierId', 'command.data.receiver', 'command.data']));
  });

  it('400 for a command type the ledger does not know, and for unknown members beside the command', async () => {
    const token = await api.login('clerk1');
    await api.refusedWithoutAppending(400, () => api.call('POST', '/acts/prepare', { token, json: { command: { type: 'Teleport', data: {} } } }));
    await api.refusedWithoutAppending(400, () =>
      api.call('POST', '/acts/prepare', { token, json: { command: api.transfer('C1', 'clerk1', 'reader1'), time: '2020-01-01T00:00:00.000Z' } }),
    );
  });

  it('R-HOLD-2: a receiver without clearance is refused with 422 naming the rule', async () => {
    await api.kit.register('TS1', 'top-secret');
    const token = await api.login('clerk1');
    const reply = await api.refusedWithoutAppending(422, () =>
      api.call('POST', '/acts/prepare', { token, json: { command: api.transfer('TS1', 'clerk1', 'reader1') } }),
    );
    expect(reply.body).toMatchObject({ type: 'urn:custody-ledger:problem:rule-violation', rule: 'R-HOLD-2' });
    expect(reply.body.detail).toMatch(/reader1 is cleared to secret/);
  });

  it('404 for an unknown carrier, and the very same 404 for a carrier the caller may not see', async () => {
    await api.kit.register('C9');
    const token = await api.login('reader2');
    const unknown = await api.refusedWithoutAppending(404, () =>
      api.call('POST', '/acts/prepare', { token, json: { command: api.transfer('NOPE', 'reader2', 'reader1') } }),
    );
    expect(unknown.body.detail).toBe('carrier NOPE not found');
    const hidden = await api.refusedWithoutAppending(404, () =>
      api.call('POST', '/acts/prepare', { token, json: { command: api.transfer('C9', 'reader2', 'reader1') } }),
    );
    expect(hidden.body).toEqual({ ...unknown.body, detail: 'carrier C9 not found' });
  });
});

describe('POST /acts: submitting a signed act', () => {
  it('201 appends an act every signer has signed and reports its events (bigints as strings)', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const reply = await api.submit('clerk1', act);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ status: 'appended', events: [{ stream: 'carrier-C1', revision: '1' }] });
    expect(reply.body.events[0].position).toBe(String(await api.store.headPosition()));
    expect(api.kit.ledger.model.carriers.get('C1')).toMatchObject({ holders: ['reader1'] });
  });

  it('answers a retried, already appended act with the same events, says so, and appends nothing more', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const first = await api.submit('clerk1', act);
    const position = await api.store.headPosition();
    const again = await api.submit('reader1', act);
    expect(again.status).toBe(201);
    expect(first.body.alreadyRecorded).toBeUndefined();
    expect(again.body).toEqual({ ...first.body, alreadyRecorded: true });
    expect(await api.store.headPosition()).toBe(position);
  });

  it('L-2: a forged signature (another key claiming to be the receiver) is refused with 422', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const token = await api.login('clerk1');
    const forged = { act, signatures: [api.kit.signatureOf(act, 'clerk1'), api.kit.signatureOf(act, 'reader1', api.kit.key('mallory'))] };
    const reply = await api.refusedWithoutAppending(422, () => api.call('POST', '/acts', { token, json: forged }));
    expect(reply.body).toMatchObject({ rule: 'L-2' });
    expect(reply.body.detail).toMatch(/did not sign for reader1/);
  });

  it('L-2: a signature replayed from another act is refused with 422', async () => {
    await api.kit.register('C2');
    const other = await api.prepare('clerk1', api.transfer('C2', 'clerk1', 'reader1'));
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const token = await api.login('clerk1');
    const replayed = { act, signatures: [api.kit.signatureOf(act, 'clerk1'), api.kit.signatureOf(other, 'reader1')] };
    const reply = await api.refusedWithoutAppending(422, () => api.call('POST', '/acts', { token, json: replayed }));
    expect(reply.body).toMatchObject({ rule: 'L-2', detail: expect.stringMatching(/reader1 does not verify/) });
  });

  it('L-2: a signature by someone who is not a signer of the act is refused with 422', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const token = await api.login('clerk1');
    const extra = { act, signatures: [api.kit.signatureOf(act, 'clerk1'), api.kit.signatureOf(act, 'clerk2')] };
    const reply = await api.refusedWithoutAppending(422, () => api.call('POST', '/acts', { token, json: extra }));
    expect(reply.body).toMatchObject({ rule: 'L-2', detail: expect.stringMatching(/clerk2 is not a signer/) });
  });

  it('L-2: a bad signature is refused even when it is the only one, and nothing waits in the inbox', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const token = await api.login('clerk1');
    const bad = { act, signatures: [{ ...api.kit.signatureOf(act, 'clerk1'), signature: sign(api.kit.key('clerk1').secretKey, new Uint8Array([1])) }] };
    await api.refusedWithoutAppending(422, () => api.call('POST', '/acts', { token, json: bad }));
    expect((await api.call('GET', '/inbox', { token: await api.login('reader1') })).body.items).toEqual([]);
  });

  it('403 when the caller is not one of the act\'s signers, even with every signature', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const reply = await api.refusedWithoutAppending(403, () => api.submit('officer', act));
    expect(reply.body.detail).toMatch(/officer is not a signer/);
  });

  it('409 for a stale act: prepared against a head that has since moved', async () => {
    const stale = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const moved = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader2'));
    expect((await api.submit('clerk1', moved)).status).toBe(201);
    const reply = await api.refusedWithoutAppending(409, () => api.submit('clerk1', stale));
    expect(reply.body).toMatchObject({ type: 'urn:custody-ledger:problem:stale-act', detail: expect.stringMatching(/carrier-C1/) });
  });

  it('400 for an act whose events were edited after it was prepared', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const edited = { ...act, events: act.events.map((e) => ({ ...e, data: { ...e.data, location: 'Elsewhere' } })) };
    const reply = await api.refusedWithoutAppending(400, () => api.submit('clerk1', edited));
    expect(reply.body.detail).toMatch(/not what its command decides/);
  });

  it('400 for malformed JSON, wrong types, unknown fields and numbers without a canonical form', async () => {
    const token = await api.login('clerk1');
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const signed = api.kit.signed(act);
    const cases = [
      { raw: '{"act": ' },
      { json: { act: 'not an act', signatures: [] } },
      { json: { ...signed, signatures: [{ ...signed.signatures[0], signature: 12 }] } },
      { json: { ...signed, note: 'hello' } },
      { json: { ...signed, act: { ...act, command: { ...act.command, data: { ...act.command.data, weight: 1.5 } } } } },
    ];
    for (const body of cases) await api.refusedWithoutAppending(400, () => api.call('POST', '/acts', { token, ...body }));
    const float = await api.call('POST', '/acts', { token, ...cases[4] });
    expect(float.body.issues[0]).toMatchObject({ path: ['act', 'command', 'data', 'weight'], message: expect.stringMatching(/not a safe integer/) });
  });

  it('413 for a body over 1 MiB, 415 for a body that is not JSON', async () => {
    const token = await api.login('clerk1');
    const huge = JSON.stringify({ act: { padding: 'x'.repeat(MAX_BODY_BYTES) }, signatures: [] });
    const tooLarge = await api.refusedWithoutAppending(413, () => api.call('POST', '/acts', { token, raw: huge }));
    expect(tooLarge.body.type).toBe('urn:custody-ledger:problem:payload-too-large');
    await api.refusedWithoutAppending(415, () => api.call('POST', '/acts', { token, raw: 'act=1', headers: { 'content-type': 'text/plain' } }));
  });

  it('401 without a token once anybody is enrolled, even for an enrolment', async () => {
    const officer = await api.login('officer');
    const act = (
      await api.call('POST', '/acts/prepare', {
        token: officer,
        json: {
          command: {
            type: 'EnrolPerson',
            data: { personId: 'newbie', name: 'New Person', unit: 'Unit 2', clearance: 'secret', roles: [], publicKey: api.kit.key('newbie').publicKey, enrolledBy: 'officer' },
          },
        },
      })
    ).body.act;
    await api.refusedWithoutAppending(401, () => api.call('POST', '/acts', { json: api.kit.signed(act) }));
    await api.refusedWithoutAppending(401, () => api.call('POST', '/acts/prepare', { json: { command: act.command } }));
  });

  it('a receiver may submit an act they cannot see yet when the holder has signed it (the act file passed on)', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const reply = await api.submit('reader1', act);
    expect(reply.status).toBe(201);
  });

  it('an act about a carrier the caller may not see, signed by nobody who may, is answered like an unknown carrier', async () => {
    const act = await api.prepare('clerk1', api.transfer('C1', 'clerk1', 'reader1'));
    const ownOnly = await api.refusedWithoutAppending(404, () => api.submit('reader1', act, ['reader1']));
    expect(ownOnly.body.detail).toBe('carrier C1 not found');
    const token = await api.login('reader1');
    const forgedGiver = { act, signatures: [api.kit.signatureOf(act, 'clerk1', api.kit.key('mallory')), api.kit.signatureOf(act, 'reader1')] };
    const forged = await api.refusedWithoutAppending(404, () => api.call('POST', '/acts', { token, json: forgedGiver }));
    expect(forged.body).toEqual(ownOnly.body);
  });
});
