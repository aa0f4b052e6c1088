import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/main.js';
import { verifierKeyText } from '../../src/verify/note/keys.js';
import { run } from '../cli/harness.js';
import { actor, createClient, type Actor } from './client.js';

/**
 * Verifiable by anyone, end to end: a real server on 127.0.0.1 over a temporary SQLite file signs
 * checkpoints on its timer and on demand; a ledger is built through HTTP with real signatures; the
 * reader who holds D1 downloads its bundle (over HTTP, and with `custody bundle --server`); then, with
 * the server stopped, `custody verify` runs as its own process in a directory holding nothing but
 * the bundle and the ledger's public key.
 */
const root = resolve(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);

let dir: string;
let server: RunningServer;
const officer = actor('officer');
const clerk1 = actor('clerk1');
const reader1 = actor('reader1');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-bundle-e2e-'));
  // A one-second period, so that the timer's checkpoints happen while the test runs.
  server = await startServer({ dbPath: join(dir, 'data', 'custody.db'), port: 0, checkpointSeconds: 1, log: () => undefined });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const enrolment = (who: Actor, roles: unknown[]) => ({
  type: 'EnrolPerson',
  data: { personId: who.id, name: `Name of ${who.id}`, unit: 'Unit 1', clearance: 'top-secret', roles, publicKey: who.pair.publicKey, enrolledBy: 'officer' },
});

/** `custody` as its own process, the way an investigator runs it on their own machine. */
async function custody(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: cwd, CUSTODY_HOME: join(cwd, '.custody') };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(root, 'bin', 'custody.js'), ...args], { cwd, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('a carrier bundle from a running server verifies on a machine with only the CLI and the ledger key', () => {
  it('builds a small ledger over HTTP, checkpoints it, downloads D1, verifies it offline, and names the event edited', async () => {
    const http = createClient(server.url);
    const genesis = await http.prepare(officer, enrolment(officer, [{ role: 'security-officer' }]));
    expect((await http.request('POST', '/acts', { json: { act: genesis, signatures: [officer.sign(genesis)] } })).status).toBe(201);
    await http.login(officer);
    for (const [person, roles] of [[clerk1, [{ role: 'registry-clerk', registry: 'R1' }]], [reader1, []]] as const) {
      const act = await http.prepare(officer, enrolment(person, [...roles]));
      expect((await http.request('POST', '/acts', { token: officer.token!, json: { act, signatures: [officer.sign(act), person.sign(act)] } })).status).toBe(201);
      await http.login(person);
    }
    await http.perform(clerk1, {
      type: 'RegisterCarrier',
      data: {
        carrierId: 'D1',
        description: { kind: 'document', classification: 'top-secret', title: 'Annual plan', originator: 'Central Office', reference: 'CO-2026-17', copyNumber: 1, itemCount: 12, registry: 'R1' },
        holder: 'clerk1',
        location: 'R1/safe-1',
        registeredBy: 'clerk1',
      },
    });
    await http.perform(clerk1, { type: 'TransferCustody', data: { carrierId: 'D1', giver: 'clerk1', receiver: 'reader1', location: 'Office 12' } }, [reader1]);
    const events = 5;

    // The timer signs a checkpoint of everything within its period; bounded, not timed.
    let periodic: { size: number; revision: number } | undefined;
    for (let tries = 0; tries < 100 && periodic?.size !== events; tries++) {
      periodic = (await http.request('GET', '/checkpoints', { token: reader1.token! })).body.items.at(-1);
      if (periodic?.size !== events) await new Promise((done) => setTimeout(done, 100));
    }
    expect(periodic).toMatchObject({ size: events });
    // On demand, with nothing new since: the same checkpoint.
    expect((await http.request('POST', '/checkpoints', { token: officer.token! })).body).toMatchObject({ size: events, revision: periodic!.revision });

    // The holder downloads D1's bundle over HTTP...
    const downloaded = await fetch(`${server.url}/carriers/D1/bundle`, { headers: { authorization: `Bearer ${reader1.token}` } });
    expect(downloaded.status).toBe(200);
    const bundle = JSON.parse(await downloaded.text());
    expect(bundle).toMatchObject({ kind: 'carrier', subject: 'D1', ledgerId: server.home.ledgerId });

    // ...and with the CLI, logged in with their key file on their own machine.
    const readerMachine = join(dir, 'reader1');
    writeFileSync(join(dir, 'reader1.key'), JSON.stringify({ personId: 'reader1', ...reader1.pair }), { mode: 0o600 });
    const cli = (argv: string[]) => run(argv, { cwd: dir, env: { CUSTODY_HOME: readerMachine, CUSTODY_SERVER: server.url }, fetch: globalThis.fetch });
    expect((await cli(['login', '--key', 'reader1.key'])).code).toBe(0);
    const saved = await cli(['bundle', 'D1', '--server', '--out', 'D1.bundle.json', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ kind: 'carrier', events: bundle.streams.reduce((n: number, s: { events: unknown[] }) => n + s.events.length, 0) });
    const fromCli = JSON.parse(readFileSync(join(dir, 'D1.bundle.json'), 'utf8'));
    expect({ ...fromCli, exportedAt: null }).toEqual({ ...bundle, exportedAt: null });
    const kept = await cli(['checkpoint', '--out', 'kept.note']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toBe(`Checkpoint of ${server.home.ledgerId}: ${events} events, signed ${bundle.checkpoint.split('\n')[3].slice(5)}, no cosignatures yet.\n`);
    expect(readFileSync(join(dir, 'kept.note'), 'utf8')).toBe(bundle.checkpoint);
    const refused = await cli(['checkpoint', '--take']);
    expect(refused).toMatchObject({ code: 4, stderr: expect.stringMatching(/only a security officer takes a checkpoint/) });
    expect(await cli(['bundle', '--ledger', '--server', '--out', 'all.jsonl'])).toMatchObject({ code: 4, stderr: expect.stringMatching(/security officers and investigators/) });
    expect((await cli(['bundle', 'D1', '--server', '--db', 'x.db', '--out', 'x.json'])).code).toBe(2);

    // The officer takes the whole ledger, streamed to a file.
    writeFileSync(join(dir, 'officer.key'), JSON.stringify({ personId: 'officer', ...officer.pair }), { mode: 0o600 });
    const asOfficer = (argv: string[]) => run(argv, { cwd: dir, env: { CUSTODY_HOME: join(dir, 'officer'), CUSTODY_SERVER: server.url }, fetch: globalThis.fetch });
    expect((await asOfficer(['login', '--key', 'officer.key'])).code).toBe(0);
    expect(JSON.parse((await asOfficer(['checkpoint', '--take', '--json'])).stdout)).toMatchObject({ size: events, witnesses: [] });
    const whole = await asOfficer(['bundle', '--ledger', '--server', '--out', 'all.jsonl', '--json']);
    expect(JSON.parse(whole.stdout)).toMatchObject({ kind: 'ledger', events, checkpointSize: events });
    expect(readFileSync(join(dir, 'all.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(events + 1);

    // The investigator's machine: no server (it is stopped), no key files; the bundle and the ledger's public key.
    const ledgerPublicKey = (await http.request('GET', '/ledger')).body.publicKey as string;
    await server.close();
    const investigator = mkdtempSync(join(tmpdir(), 'custody-investigator-'));
    try {
      writeFileSync(join(investigator, 'ledger.pub'), verifierKeyText(server.home.ledgerId, ledgerPublicKey, 'ledger'));
      writeFileSync(join(investigator, 'D1.bundle.json'), JSON.stringify(bundle, null, 2));
      const verified = await custody(['verify', 'D1.bundle.json', '--trust', 'ledger.pub'], investigator);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(/^VERIFIED: .*D1\.bundle\.json: \d+ events in \d+ streams/m);

      // One byte of one event's data changed: the place where the carrier was handed over.
      const text = JSON.stringify(bundle, null, 2);
      const at = text.indexOf('"location": "Office 12"');
      expect(at).toBeGreaterThan(0);
      writeFileSync(join(investigator, 'edited.json'), `${text.slice(0, at)}"location": "Office 13"${text.slice(at + '"location": "Office 12"'.length)}`);
      const edited = await custody(['verify', 'edited.json', '--trust', 'ledger.pub'], investigator);
      expect(edited.code).toBe(1);
      expect(edited.stdout).toMatch(/^FAIL {2}[a-z-]+ carrier-D1@1 \(position \d+\): /m);
      expect(edited.stdout).toMatch(/^NOT VERIFIED: .*edited\.json: \d+ issues?/m);
    } finally {
      rmSync(investigator, { recursive: true, force: true });
    }
  });
});
