import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/cli/commands/verify.js';
import type { CliIo } from '../../src/cli/io.js';
import { seeded } from '../api/sweep/cases.js';
import { actor, createClient, type Actor } from './client.js';

/**
 * The crash test (issue #18): the server, as its own process, is killed with SIGKILL at a random
 * moment while several clients append, ten times over the same ledger. Every act the server
 * acknowledged (201) must be in the file after each crash, and the whole ledger must verify at the
 * end. (test/store/sqlite.int.spec.ts kills a process appending to the store directly; this one
 * kills the whole server, HTTP and all.) The moments are drawn from a seeded generator: the same
 * ten every run, though where each falls in the server's work depends on the machine.
 */

const ROUNDS = 10;
const root = resolve(import.meta.dirname, '..', '..');
let dir: string;
let db: string;
const officer = actor('officer');
const acknowledged: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-crash-'));
  db = join(dir, 'data', 'custody.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** As an operator starts it (`npm start`): the compiled build when it is current, else the sources. */
function startServer() {
  const child = spawn(process.execPath, ['bin/server.js', '--db', db, '--port', '0', '--checkpoint-every', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((done) => child.once('close', (code, signal) => done(signal ?? code)));
  const listening = new Promise<string>((done, fail) => {
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        done(match[1]!);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      fail(new Error(`the server exited (${String(code)}) before listening:\n${output}`));
    });
  });
  listening.catch(() => undefined);
  return { child, exited, listening };
}

const enrolment = (who: Actor) => ({
  type: 'EnrolPerson',
  data: { personId: who.id, name: `Name of ${who.id}`, unit: 'Unit 1', clearance: 'secret', roles: who.id === 'officer' ? [{ role: 'security-officer' }] : [], publicKey: who.pair.publicKey, enrolledBy: 'officer' },
});

function personsInFile(): Set<string> {
  // Read-write, as the next start would open it: that replays the WAL the killed server left.
  const handle = new Database(db);
  try {
    return new Set((handle.prepare("SELECT DISTINCT stream FROM events WHERE stream LIKE 'person-%'").pluck().all() as string[]).map((s) => s.slice(7)));
  } finally {
    handle.close();
  }
}

/** Writers that enrol people until told to stop, or until the server stops answering. */
function writeLoad(client: ReturnType<typeof createClient>, token: string, round: number, writers: number) {
  let stop = false;
  let next = 0;
  const writer = async () => {
    while (!stop) {
      const person = actor(`r${round}p${next++}`);
      try {
        const act = await client.prepare(officer, enrolment(person));
        const reply = await client.request('POST', '/acts', { token, json: { act, signatures: [officer.sign(act), person.sign(act)] } });
        if (reply.status === 201) acknowledged.push(person.id);
      } catch {
        return; // the server is gone: what was not acknowledged need not be there
      }
    }
  };
  const running = Array.from({ length: writers }, writer);
  return { stop: () => ((stop = true), Promise.all(running)) };
}

describe('SIGKILL under write load', () => {
  it(`keeps every acknowledged act through ${ROUNDS} crashes, and the ledger verifies`, async () => {
    const random = seeded(0xc1a5);
    for (let round = 0; round < ROUNDS; round++) {
      const server = startServer();
      const url = await server.listening;
      const client = createClient(url);
      if (round === 0) {
        const first = await client.prepare(officer, enrolment(officer));
        expect((await client.request('POST', '/acts', { json: { act: first, signatures: [officer.sign(first)] } })).status).toBe(201);
        acknowledged.push('officer');
      }
      const token = await client.login(officer);
      if (round === 0) expect((await client.request('POST', '/checkpoints', { token })).status).toBe(200);
      const load = writeLoad(client, token, round, 3);
      await new Promise((done) => setTimeout(done, 50 + Math.floor(random.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) * 60)));
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      await load.stop();
      const stored = personsInFile();
      const missing = acknowledged.filter((id) => !stored.has(id));
      expect(missing, `round ${round}: acknowledged but not stored`).toEqual([]);
    }
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);

    const out: string[] = [];
    const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => undefined }, env: {}, cwd: dir };
    const code = await verify.run(['--ledger', '--db', db, '--trust', join(dir, 'data', 'ledger-key.json'), '--workers', '1'], io);
    expect(out.join(''), out.join('')).toMatch(/^VERIFIED: /m);
    expect(code).toBe(0);
  }, 600_000);
});
