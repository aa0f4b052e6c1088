import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { EXIT } from '../../src/cli/errors.js';
import { people, run as runIn, scratchDir, stdoutJson } from './harness.js';

/** `custody reads` against a real server on 127.0.0.1, its read log in data/custody.reads.db. */
describe('custody reads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    const publicKey = async (id: string) => (await runIn(['keygen', '--id', id, '--out', `${id}.key`, '--no-passphrase'], { cwd: dir })).stdout.trim();
    const keys: Record<string, string> = {};
    for (const id of ['officer', 'clerk', 'reader']) keys[id] = await publicKey(id);
    await ok('officer', ['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security']);
    server = await startServer({ dbPath: join(dir, 'data/custody.db'), port: 0, checkpointSeconds: 0, log: () => undefined });
    await ok('officer', ['login', '--key', 'officer.key']);
    for (const [id, roles] of [['clerk', '[{"role":"registry-clerk","registry":"R1"}]'], ['reader', '[]']] as const) {
      await ok('officer', ['prepare', 'EnrolPerson', `personId=${id}`, `name=Name of ${id}`, 'unit=Unit', 'clearance=secret', `roles=${roles}`, `publicKey=${keys[id]}`, 'enrolledBy=officer', '--sign', '--out', `enrol-${id}.json`]);
      await ok('officer', ['sign', `enrol-${id}.json`, '--key', `${id}.key`, '--submit']);
      await ok(id, ['login', '--key', `${id}.key`]);
    }
    await ok('clerk', [
      'prepare', 'RegisterCarrier', 'carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget',
      'description.originator=Central Office', 'description.reference=CO-1', 'description.copyNumber=1', 'description.itemCount=3',
      'description.registry=R1', 'holder=clerk', 'location=R1 safe 1', 'registeredBy=clerk', '--sign', '--submit',
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('shows officers who looked at a carrier, and whether they were shown it', async () => {
    await ok('clerk', ['where', 'C1']);
    expect((await as('reader', ['where', 'C1'])).code).not.toBe(0);
    const page = stdoutJson(await ok('officer', ['reads', '--carrier', 'C1', '--json'])) as { items: Array<Record<string, unknown>> };
    expect(page.items.map((r) => [r.personId, r.kind, r.outcome])).toEqual([
      ['clerk', 'carrier', 'shown'],
      ['reader', 'carrier', 'not-found-or-hidden'],
    ]);
    const lines = (await ok('officer', ['reads', '--person', 'reader'])).stdout;
    expect(lines).toMatch(/PERSON/);
    expect(lines).toMatch(/reader\s+carrier\s+C1\s+.*not-found-or-hidden/);
  });

  it('refuses anyone but security officers and investigators, and bad limits', async () => {
    expect((await as('reader', ['reads'])).code).toBe(EXIT.auth);
    const bad = await as('officer', ['reads', '--limit', '0']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/--limit/);
  });

  it('keeps the log in a file only its owner may read', async () => {
    expect((await stat(join(dir, 'data/custody.reads.db'))).mode & 0o777).toBe(0o600);
  });
});
