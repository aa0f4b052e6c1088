import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/report.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { run, scratchDir, stderrJson, stdoutJson } from './harness.js';

const SERVER = 'http://127.0.0.1:9';
const ACT_ID = 'a'.repeat(64);
/** A transfer's data as key=value words, complete, so the CLI's own check lets it through. */
const TRANSFER = ['carrierId=C1', 'giver=clerk1', 'receiver=reader1', 'location=Office 12'];

type Route = (body: unknown, headers: Headers) => { status: number; body: unknown };

/** A scripted server: `routes['POST /acts']` answers that request; anything else is a 404 problem. */
function fakeServer(routes: Record<string, Route>) {
  const seen: Array<{ method: string; path: string; authorization: string | null }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    seen.push({ method, path: url.pathname + url.search, authorization: headers.get('authorization') });
    const route = routes[`${method} ${url.pathname}`];
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const answer = route ? route(body, headers) : { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no route' } };
    const contentType = answer.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': contentType } });
  };
  return { fetch, seen };
}

const problem = (status: number, detail: string, extra: Record<string, unknown> = {}) => () => ({
  status,
  body: { type: `https://custody.example/problems/${status}`, title: `HTTP ${status}`, status, detail, ...extra },
});

describe('exit codes and --json shapes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  /** A logged-in session for clerk1, its token valid for an hour, and an act file to submit. */
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    const key = generateKeyPair();
    await writeFile(join(dir, 'clerk1.key'), JSON.stringify({ personId: 'clerk1', ...key }), { mode: 0o600 });
    await mkdir(join(dir, '.custody'));
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const session = { server: SERVER, personId: 'clerk1', token: 'tok-1', expiresAt, keyFile: join(dir, 'clerk1.key') };
    await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session), { mode: 0o600 });
  });
  afterEach(() => cleanup());

  it('maps HTTP statuses to exit codes in one table', () => {
    expect([400, 401, 403, 404, 409, 413, 422, 500, 503].map(exitCodeForStatus)).toEqual([2, 4, 4, 3, 1, 2, 1, 5, 5]);
  });

  it('a rule refusal is exit 1 and prints the rule id and the detail', async () => {
    const server = fakeServer({
      'GET /carriers/C1': problem(422, 'R-HOLD-2: reader1 is cleared for secret, not top-secret', { rule: 'R-HOLD-2' }),
    });
    const result = await run(['where', 'C1'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('custody where: refused by R-HOLD-2: reader1 is cleared for secret, not top-secret\n');
    expect(server.seen[0]?.authorization).toBe('Bearer tok-1');
  });

  it('with --json the error is one JSON object on stderr, with its exit code, kind and rule', async () => {
    const server = fakeServer({ 'GET /carriers/C1': problem(409, 'stale act: carrier-C1 moved', { rule: 'L-3' }) });
    const result = await run(['where', 'C1', '--json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(stderrJson(result)).toEqual({
      error: { exitCode: 1, kind: 'refused', message: 'stale act: carrier-C1 moved', rule: 'L-3', title: 'HTTP 409', status: 409 },
    });
  });

  it('an unknown carrier is exit 3', async () => {
    const server = fakeServer({ 'GET /carriers/NOPE': problem(404, 'carrier NOPE not found') });
    const result = await run(['where', 'NOPE'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(3);
    // "not found" once: the server's detail already says it.
    expect(result.stderr).toBe('custody where: carrier NOPE not found\n');
  });

  it('command data the server still cannot parse is exit 2, naming each bad field', async () => {
    const server = fakeServer({
      'POST /acts/prepare': problem(400, 'invalid request body', {
        issues: [{ path: ['command', 'data', 'location'], message: 'Invalid input: expected string, received undefined', code: 'invalid_type' }],
      }),
    });
    const result = await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'custody prepare: invalid request body\n  command.data.location: Invalid input: expected string, received undefined\n',
    );
  });

  it('an unknown command type is refused before any request (exit 2), suggesting the right spelling', async () => {
    const server = fakeServer({});
    const result = await run(['prepare', 'transfercustody', 'carrierId=C1', '--out', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command type "transfercustody"; did you mean TransferCustody\?/);
    expect(server.seen).toEqual([]);
  });

  it('a token the server no longer accepts is renewed with the key file; a refused renewal is exit 4', async () => {
    const server = fakeServer({
      'GET /carriers/C1': problem(401, 'missing or invalid token'),
      'POST /auth/challenge': () => ({ status: 200, body: { challenge: 'c'.repeat(43), expiresAt: '2030-01-01T00:00:00.000Z', ledgerId: 'L1' } }),
      'POST /auth/token': problem(401, 'the login was not accepted'),
    });
    const result = await run(['where', 'C1'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(4);
    expect(server.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /carriers/C1', 'POST /auth/challenge', 'POST /auth/token']);
  });

  it('a renewed token is saved and the call retried once with it', async () => {
    const server = fakeServer({
      'GET /carriers/C1': (_body, headers) =>
        headers.get('authorization') === 'Bearer tok-2'
          ? { status: 200, body: { id: 'C1', status: 'held', holders: ['clerk1'], location: 'R1/safe-1' } }
          : problem(401, 'expired')(),
      'POST /auth/challenge': () => ({ status: 200, body: { challenge: 'c'.repeat(43), expiresAt: '2030-01-01T00:00:00.000Z', ledgerId: 'L1' } }),
      'POST /auth/token': () => ({ status: 200, body: { token: 'tok-2', expiresAt: new Date(Date.now() + 900_000).toISOString() } }),
    });
    const result = await run(['where', 'C1', '--json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(0);
    expect(stdoutJson(result)).toMatchObject({ id: 'C1', holders: ['clerk1'] });
    const saved = JSON.parse(await readFile(join(dir, '.custody/session.json'), 'utf8')) as { token: string };
    expect(saved.token).toBe('tok-2');
  });

  it('not logged in is exit 4, telling how to log in', async () => {
    const result = await run(['holdings'], { cwd: dir, env: { CUSTODY_HOME: join(dir, 'elsewhere') } });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/not logged in: run custody login --server <url> --key <key-file> --as <personId>/);
  });

  it('a server that cannot be reached is exit 5', async () => {
    const refusedConnection: typeof fetch = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    };
    const result = await run(['where', 'C1'], { cwd: dir, fetch: refusedConnection });
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(`custody where: cannot reach ${SERVER}: connection refused (is the server running?)\n`);
  });

  it('a pending act is success (exit 0) and says who still has to sign', async () => {
    const server = fakeServer({
      'POST /acts/prepare': () => ({ status: 200, body: preparedTransfer() }),
      'POST /acts': () => ({ status: 202, body: { status: 'pending', actId: ACT_ID, missing: ['reader1'], expiresAt: '2030-01-01T00:00:00.000Z' } }),
    });
    const prepared = await run(['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk1', 'receiver=reader1', 'location=Office 12', '--out', 't.json', '--sign'], {
      cwd: dir,
      fetch: server.fetch,
    });
    expect(prepared.code).toBe(0);
    expect(server.seen[0]).toMatchObject({ method: 'POST', path: '/acts/prepare' });
    const submitted = await run(['submit', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toMatch(/^Pending: act a{12} waits for the signature of reader1 \(until 2030-01-01T00:00:00.000Z\)\./);
    expect(submitted.stdout).toContain('custody inbox sign aaaaaaaaaaaa');
  });

  it('an appended act prints each stream\'s new revision; --json prints the server\'s answer', async () => {
    const appended = { status: 'appended', actId: ACT_ID, events: [{ stream: 'carrier-C1', revision: '3', position: '17', hash: 'b'.repeat(64) }] };
    const server = fakeServer({
      'POST /acts/prepare': () => ({ status: 200, body: preparedTransfer() }),
      'POST /acts': () => ({ status: 201, body: appended }),
    });
    await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json'], { cwd: dir, fetch: server.fetch });
    const human = await run(['submit', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(human.stdout).toBe(`Appended act ${ACT_ID.slice(0, 12)}\n  carrier-C1 revision 3\n`);
    const json = await run(['submit', 't.json', '--json'], { cwd: dir, fetch: server.fetch });
    expect(stdoutJson(json)).toEqual(appended);
  });

  it('prepare --json prints the act id, the act, its signers and the file written', async () => {
    const server = fakeServer({ 'POST /acts/prepare': () => ({ status: 200, body: preparedTransfer() }) });
    const result = await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json', '--json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(0);
    const output = stdoutJson(result);
    expect(Object.keys(output).sort()).toEqual(['act', 'actId', 'file', 'outcome', 'signatures', 'signers']);
    expect(output).toMatchObject({ actId: expect.stringMatching(/^[0-9a-f]{64}$/), signers: ['clerk1', 'reader1'], file: join(dir, 't.json'), outcome: null });
  });

  it('a reply without the members the client relies on is exit 5, not a crash', async () => {
    const server = fakeServer({ 'POST /acts/prepare': () => ({ status: 200, body: { actId: ACT_ID } }) });
    const result = await run(['prepare', 'TransferCustody', ...TRANSFER, '--out', 't.json'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/POST \/acts\/prepare answered in an unexpected shape \(act: /);
  });
});

/** What POST /acts/prepare answers for a transfer from clerk1 to reader1. */
function preparedTransfer() {
  const act = {
    v: 1,
    ledger: 'L1',
    command: { type: 'TransferCustody', data: { carrierId: 'C1', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } },
    time: '2026-11-23T09:00:00.000Z',
    signers: ['clerk1', 'reader1'],
    events: [{ stream: 'carrier-C1', revision: 3, prevHash: 'c'.repeat(64), type: 'CustodyTransferred', data: { giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } }],
  };
  return { actId: ACT_ID, act, signers: act.signers };
}
