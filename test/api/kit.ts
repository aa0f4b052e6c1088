import { expect } from 'vitest';
import type { UnsignedAct } from '../../src/domain/act.js';
import { createSigner } from '../../src/crypto/ed25519.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { createMemoryInbox } from '../../src/inbox/memory.js';
import { createApp } from '../../src/api/app.js';
import { loginSigningBytes } from '../../src/api/auth.js';
import { createKit, LEDGER_ID, steppingClock } from '../ledger/kit.js';
import type { ReadLog } from '../../src/audit/read-log.js';

export type Reply = { status: number; contentType: string; body: any };

/** JSON of everything the store holds, bigints included: "byte for byte unchanged" compares these. */
export async function storeSnapshot(store: EventStore): Promise<string> {
  const events = await store.readAll();
  return JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

/**
 * The API in-process (app.request, no port) over a memory store with the test cast enrolled, each
 * with a real Ed25519 key, and carrier C1 (secret) registered to clerk1.
 */
export async function createApiKit(extra: { readLog?: ReadLog } = {}) {
  const store = createMemoryStore();
  const clock = steppingClock();
  const kit = await createKit(store, clock);
  await kit.enrolCast();
  await kit.register('C1');
  const inbox = createMemoryInbox();
  const unexpected: unknown[] = [];
  const app = createApp({ ledger: kit.ledger, store, inbox, clock, log: (error) => unexpected.push(error), ...extra });

  async function call(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    return { status: response.status, contentType, body: contentType.includes('json') ? JSON.parse(text) : text };
  }

  const tokens = new Map<string, string>();
  /** Logs in with the person's real key: challenge, signature, token (cached per person). */
  async function login(personId: string): Promise<string> {
    const cached = tokens.get(personId);
    if (cached) return cached;
    const { body: challenge } = await call('POST', '/auth/challenge', { json: { personId } });
    const pair = kit.key(personId);
    const signature = createSigner(pair.secretKey).sign(loginSigningBytes(LEDGER_ID, personId, challenge.challenge));
    const reply = await call('POST', '/auth/token', {
      json: { personId, publicKey: pair.publicKey, challenge: challenge.challenge, signature },
    });
    expect(reply.status).toBe(200);
    tokens.set(personId, reply.body.token);
    return reply.body.token;
  }

  /** POST /acts/prepare as `personId`; returns the unsigned act. */
  async function prepare(personId: string, command: unknown): Promise<UnsignedAct> {
    const reply = await call('POST', '/acts/prepare', { token: await login(personId), json: { command } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.act;
  }

  /** POST /acts as `personId` with the signatures of `signers` (default: every signer). */
  async function submit(personId: string, act: UnsignedAct, signers: string[] = act.signers): Promise<Reply> {
    return call('POST', '/acts', { token: await login(personId), json: kit.signed(act, signers) });
  }

  /** Calls `attempt`, checks it was refused with `status`, and that the ledger did not move. */
  async function refusedWithoutAppending(status: number, attempt: () => Promise<Reply>): Promise<Reply> {
    const before = await storeSnapshot(store);
    const reply = await attempt();
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ status, type: expect.stringMatching(/^urn:custody-ledger:problem:/) });
    expect(typeof reply.body.title).toBe('string');
    expect(typeof reply.body.detail).toBe('string');
    expect(JSON.stringify(reply.body)).not.toMatch(/at .*\.ts:\d+/);
    expect(await storeSnapshot(store)).toBe(before);
    return reply;
  }

  const transfer = (carrierId: string, giver: string, receiver: string) => ({
    type: 'TransferCustody',
    data: { carrierId, giver, receiver, location: 'Office 12' },
  });

  return { store, clock, kit, inbox, app, call, login, prepare, submit, refusedWithoutAppending, transfer, unexpected };
}

export type ApiKit = Awaited<ReturnType<typeof createApiKit>>;
