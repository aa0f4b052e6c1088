import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCaOption } from '../../src/cli/ca.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { fetchTrustingCa } from '../../src/client/tls-fetch.js';
import { parseServerArgs } from '../../src/server/main.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { actor } from './client.js';

/**
 * TLS (issue #18): the server serves HTTPS from a certificate and key, and the CLI trusts the
 * site's own certificate authority (--ca or CUSTODY_CA). The certificate is made here, by the
 * openssl command, for 127.0.0.1: no network, no system trust store involved.
 */

let dir: string;
let cert: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'), '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  cert = join(dir, 'server.crt');
  const args = parseServerArgs(['--db', join(dir, 'data', 'custody.db'), '--port', '0', '--tls-cert', cert, '--tls-key', join(dir, 'server.key')], {});
  expect(args).toMatchObject({ tls: { certFile: cert, keyFile: join(dir, 'server.key') } });
  server = await startServer({
    dbPath: join(dir, 'data', 'custody.db'),
    port: 0,
    checkpointSeconds: 0,
    log: () => undefined,
    tls: { cert: readFileSync(cert), key: readFileSync(join(dir, 'server.key')) },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start -- --tls-cert --tls-key', () => {
  it('serves HTTPS, to a client that trusts the certificate, and to no other', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const trusting = fetchTrustingCa(readFileSync(cert));
    const health = await trusting(`${server.url}/health`);
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await expect(fetch(server.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
  });

  it('refuses one of the two flags without the other', () => {
    expect(() => parseServerArgs(['--tls-cert', cert], {})).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => parseServerArgs([], { CUSTODY_TLS_KEY: 'k.pem' })).toThrow(/go together/);
  });
});

describe('the CLI over HTTPS', () => {
  const officer = actor('officer');

  function io(env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const value: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: { CUSTODY_HOME: join(dir, 'home'), ...env }, cwd: dir };
    return { value, out, err };
  }

  it('logs in and takes a checkpoint trusting the CA given by --ca, or by CUSTODY_CA', async () => {
    // The first enrolment, over HTTPS, so that someone can log in.
    const trusting = fetchTrustingCa(readFileSync(cert));
    const post = async (path: string, json: unknown) =>
      (await trusting(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) })).json() as Promise<any>;
    const enrol = { type: 'EnrolPerson', data: { personId: 'officer', name: 'O', unit: 'S', clearance: 'top-secret', roles: [{ role: 'security-officer' }], publicKey: officer.pair.publicKey, enrolledBy: 'officer' } };
    const { act } = await post('/acts/prepare', { command: enrol });
    expect(await post('/acts', { act, signatures: [officer.sign(act)] })).toMatchObject({ status: 'appended' });
    writeFileSync(join(dir, 'officer.key.json'), JSON.stringify({ personId: 'officer', ...officer.pair }), { mode: 0o600 });

    const viaFlag = io();
    const prepared = withCaOption(['login', '--server', server.url, '--key', 'officer.key.json', '--ca', cert], viaFlag.value);
    if ('error' in prepared) throw new Error(prepared.error);
    expect(prepared.argv).toEqual(['login', '--server', server.url, '--key', 'officer.key.json']);
    expect(await runCli(prepared.argv, prepared.io), viaFlag.err.join('')).toBe(0);

    const viaEnv = io({ CUSTODY_CA: cert });
    const fromEnv = withCaOption(['checkpoint', '--take', '--json'], viaEnv.value);
    if ('error' in fromEnv) throw new Error(fromEnv.error);
    expect(await runCli(fromEnv.argv, fromEnv.io), viaEnv.err.join('')).toBe(0);
    expect(JSON.parse(viaEnv.out.join(''))).toMatchObject({ size: 1 });

    const untrusting = io();
    expect(await runCli(['checkpoint'], untrusting.value)).toBe(5);
    expect(untrusting.err.join('')).toMatch(/cannot reach|certificate/i);
  });

  it('a CA file that cannot be read is named, with why', () => {
    expect(withCaOption(['where', 'C1', '--ca', join(dir, 'missing.pem')], io().value)).toEqual({
      error: expect.stringMatching(/cannot read the CA file .*missing\.pem: ENOENT/),
    });
    expect(withCaOption(['where', '--ca'], io().value)).toEqual({ error: expect.stringMatching(/--ca needs a file/) });
  });
});
