import { expect } from 'vitest';
import type { UnsignedAct } from '../../src/domain/act.js';
import { signatureOf } from '../../src/ledger/envelope.js';
import { createSigner, generateKeyPair, type KeyPair } from '../../src/crypto/ed25519.js';
import { loginSigningBytes } from '../../src/api/auth.js';

export type Reply = { status: number; body: any };

/** A person at their own machine: their key, and a token once logged in. */
export type Actor = { id: string; pair: KeyPair; sign(act: UnsignedAct, signedAt?: string): { signer: string; publicKey: string; signedAt?: string; signature: string }; token?: string };

export function actor(id: string): Actor {
  const pair = generateKeyPair();
  const signer = createSigner(pair.secretKey);
  // Signed when it was prepared unless told otherwise: the servers under test may run on a fake clock.
  return { id, pair, sign: (act, signedAt = act.time) => signatureOf(act, id, pair.publicKey, (bytes) => signer.sign(bytes), signedAt) };
}

/** A client of a running server over real HTTP (fetch), the way a user's machine talks to it. */
export function createClient(baseUrl: string) {
  async function request(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function login(who: Actor): Promise<string> {
    const { body: challenge } = await request('POST', '/auth/challenge', { json: { personId: who.id } });
    const bytes = loginSigningBytes(challenge.ledgerId, who.id, challenge.challenge);
    const reply = await request('POST', '/auth/token', {
      json: { personId: who.id, publicKey: who.pair.publicKey, challenge: challenge.challenge, signature: createSigner(who.pair.secretKey).sign(bytes) },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    who.token = reply.body.token;
    return reply.body.token;
  }

  async function prepare(who: Actor, command: unknown): Promise<UnsignedAct> {
    const reply = await request('POST', '/acts/prepare', { ...(who.token ? { token: who.token } : {}), json: { command } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.act;
  }

  /**
   * `by` prepares the command, signs and submits it; every other signer then finds it in their inbox
   * (under `summaries[signer]`, if given) and signs it there. Returns the final reply: 201, appended.
   */
  async function perform(by: Actor, command: unknown, cosigners: Actor[] = [], summaries: Record<string, string> = {}): Promise<Reply> {
    const act = await prepare(by, command);
    let reply = await request('POST', '/acts', { token: by.token!, json: { act, signatures: [by.sign(act)] } });
    for (const cosigner of cosigners) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      const inbox = await request('GET', '/inbox', { token: cosigner.token! });
      const item = inbox.body.items.find((i: { actId: string }) => i.actId === reply.body.actId);
      expect(item, `${cosigner.id}'s inbox holds the act`).toBeDefined();
      if (summaries[cosigner.id]) expect(item.summary).toBe(summaries[cosigner.id]);
      reply = await request('POST', `/acts/${item.actId}/signatures`, { token: cosigner.token!, json: cosigner.sign(item.act) });
    }
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply;
  }

  return { request, login, prepare, perform };
}
