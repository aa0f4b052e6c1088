import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/cli/commands/backup.js';
import { restore } from '../../src/cli/commands/restore.js';
import { verify } from '../../src/cli/commands/verify.js';
import { CliError } from '../../src/cli/errors.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Command } from '../../src/cli/command.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { sha256OfFile } from '../../src/cli/backup-file.js';
import { actor, createClient, type Actor } from '../server/client.js';

/**
 * Backups that restore (issue #18): a backup taken while the server appends, restored after the
 * ledger signed a checkpoint beyond it (refused, then allowed and recorded), verified, and every act
 * acknowledged before the backup began is in it. Damaged and edited backups are refused.
 */

let dir: string;
let db: string;
let server: RunningServer;
const officer = actor('officer');
const ackedBeforeBackup: string[] = [];
let ackedInAll: string[] = [];

async function run(command: Command, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: {}, cwd: dir };
  const code = await command.run(args, io).catch((error: unknown) => (error instanceof CliError ? error : Promise.reject(error)));
  return { code: code instanceof CliError ? code.exitCode : code, message: code instanceof CliError ? code.message : '', stdout: out.join(''), stderr: err.join('') };
}

const enrolment = (who: Actor) => ({
  type: 'EnrolPerson',
  data: { personId: who.id, name: `Name of ${who.id}`, unit: 'Unit 1', clearance: 'secret', roles: who.id === 'officer' ? [{ role: 'security-officer' }] : [], publicKey: who.pair.publicKey, enrolledBy: 'officer' },
});

const personStreamsIn = (file: string): Set<string> => {
  const handle = new Database(file, { readonly: true });
  try {
    return new Set((handle.prepare("SELECT DISTINCT stream FROM events WHERE stream LIKE 'person-%'").pluck().all() as string[]).map((s) => s.slice(7)));
  } finally {
    handle.close();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-backup-'));
  db = join(dir, 'data', 'custody.db');
  server = await startServer({ dbPath: db, port: 0, checkpointSeconds: 0, log: () => undefined });
  const client = createClient(server.url);
  const first = await client.prepare(officer, enrolment(officer));
  expect((await client.request('POST', '/acts', { json: { act: first, signatures: [officer.sign(first)] } })).status).toBe(201);
  const token = await client.login(officer);
  expect((await client.request('POST', '/checkpoints', { token })).status).toBe(200);

  // Write load: two writers enrol people one after another; an enrolment counts once the server said 201.
  const acked: string[] = [];
  let stop = false;
  let next = 0;
  const writer = async () => {
    while (!stop) {
      const person = actor(`p${next++}`);
      const act = await client.prepare(officer, enrolment(person));
      const reply = await client.request('POST', '/acts', { token, json: { act, signatures: [officer.sign(act), person.sign(act)] } });
      expect(reply.status).toBe(201);
      acked.push(person.id);
    }
  };
  const until = async (count: number) => {
    while (acked.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const writers = [writer(), writer()];
  try {
    await until(6);
    ackedBeforeBackup.push(...acked);
    const taken = await run(backup, ['--db', db, '--out', 'backups/b1.db']);
    expect(taken, taken.message).toMatchObject({ code: 0 });
    await until(ackedBeforeBackup.length + 8);
    // The ledger now commits, in a signed checkpoint, to acts the backup does not hold.
    expect((await client.request('POST', '/checkpoints', { token })).status).toBe(200);
  } finally {
    stop = true;
    await Promise.all(writers);
    ackedInAll = [...acked];
    await server.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('custody backup', () => {
  it('writes the copy, its manifest and the last checkpoint, all private, and no secret key', () => {
    for (const file of ['b1.db', 'b1.db.manifest.json', 'b1.db.checkpoint']) {
      expect(statSync(join(dir, 'backups', file)).mode & 0o777, file).toBe(0o600);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'backups', 'b1.db.manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'custody-ledger/backup/v1', checkpointSize: 1 });
    expect(manifest.treeSize).toBeGreaterThanOrEqual(ackedBeforeBackup.length + 1);
    expect(readFileSync(join(dir, 'backups', 'b1.db.manifest.json'), 'utf8')).not.toMatch(/secretKey/);
    expect(readFileSync(join(dir, 'backups', 'b1.db.checkpoint'), 'utf8')).toMatch(/^ledger-[0-9a-f]{16}\n1\n/);
  });
});

describe('custody restore', () => {
  it('refuses a damaged backup, and an edited one whose manifest was made to match, touching nothing', async () => {
    const damaged = join(dir, 'backups', 'damaged.db');
    copyFileSync(join(dir, 'backups', 'b1.db'), damaged);
    copyFileSync(join(dir, 'backups', 'b1.db.manifest.json'), `${damaged}.manifest.json`);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(damaged, bytes);
    expect(await run(restore, ['--from', damaged, '--db', db, '--allow-rollback', 'test'])).toMatchObject({ code: 1, message: expect.stringMatching(/does not match its manifest/) });

    const edited = join(dir, 'backups', 'edited.db');
    copyFileSync(join(dir, 'backups', 'b1.db'), edited);
    const handle = new Database(edited);
    handle.prepare("UPDATE events SET data = replace(data, 'Name of p1', 'Name of pX')").run();
    handle.close();
    const manifest = JSON.parse(readFileSync(join(dir, 'backups', 'b1.db.manifest.json'), 'utf8'));
    writeFileSync(`${edited}.manifest.json`, JSON.stringify({ ...manifest, sha256: await sha256OfFile(edited) }));
    const refused = await run(restore, ['--from', edited, '--db', db, '--allow-rollback', 'test']);
    expect(refused).toMatchObject({ code: 1, message: expect.stringMatching(/does not verify/) });
    expect(refused.stderr).toMatch(/FAIL/);
    expect(personStreamsIn(db).size).toBe(ackedInAll.length + 1);
  });

  it('refuses a backup older than the last checkpoint the ledger signed, then restores it when told why, and records that', async () => {
    const refused = await run(restore, ['--from', 'backups/b1.db', '--db', db]);
    expect(refused).toMatchObject({ code: 1, message: expect.stringMatching(/signed a checkpoint over \d+: restoring it would drop \d+ acknowledged events.*--allow-rollback/) });
    expect(existsSync(join(dir, 'data', 'restore-log.jsonl'))).toBe(false);

    const restored = await run(restore, ['--from', 'backups/b1.db', '--db', db, '--allow-rollback', 'disaster drill']);
    expect(restored, restored.message).toMatchObject({ code: 0, stdout: expect.stringMatching(/ROLLBACK from checkpoint size \d+ to \d+, because: disaster drill/) });
    const log = readFileSync(join(dir, 'data', 'restore-log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(log).toEqual([expect.objectContaining({ rollback: true, reason: 'disaster drill' })]);
    expect(statSync(db).mode & 0o777).toBe(0o600);

    const verified = await run(verify, ['--ledger', '--db', db, '--trust', join(dir, 'data', 'ledger-key.json'), '--workers', '1']);
    expect(verified.stdout).toMatch(/^VERIFIED: /m);
    expect(verified.code).toBe(0);
    const held = personStreamsIn(db);
    for (const id of ackedBeforeBackup) expect(held.has(id), `${id} acknowledged before the backup`).toBe(true);

    // The server opens what was restored.
    const again = await startServer({ dbPath: db, port: 0, checkpointSeconds: 0, log: () => undefined });
    expect((await fetch(`${again.url}/ready`)).status).toBe(200);
    expect(again.home.ledger.model.directory.size).toBe(held.size);
    // Not under a running server: what it wrote next would be lost.
    const underServer = await run(restore, ['--from', 'backups/b1.db', '--db', db, '--allow-rollback', 'again']);
    await again.close();
    expect(underServer).toMatchObject({ code: 5, message: expect.stringMatching(/open in another process .*stop the server first/) });
  });

  it('restores a backup that is not older than any checkpoint without being told, after verifying it', async () => {
    expect((await run(backup, ['--db', db, '--out', 'backups/b2.db'])).code).toBe(0);
    const restored = await run(restore, ['--from', 'backups/b2.db', '--db', db]);
    expect(restored, restored.message).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Restored ledger-[0-9a-f]{16} from .*, verified\./) });
    expect(restored.stdout).not.toMatch(/ROLLBACK/);
  });
});
