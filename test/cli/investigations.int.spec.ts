import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/domain/policy/policy.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { people, run as runIn, scratchDir, stdoutJson, type Run } from './harness.js';

/**
 * The investigation commands in-process against a real server on 127.0.0.1 (random port, temporary
 * SQLite file): a carrier handed to a reader who then reports it missing.
 */
describe('custody investigation commands against a running server', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  /** When the hand-over to the reader was signed (the act file's time). */
  let transferredAt: string;
  let preparedAt: string;
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    const publicKey = async (id: string) => (await runIn(['keygen', '--no-passphrase', '--id', id, '--out', `${id}.key`], { cwd: dir })).stdout.trim();
    const keys: Record<string, string> = {};
    for (const id of ['officer', 'clerk', 'reader']) keys[id] = await publicKey(id);
    await ok('officer', ['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security']);
    server = await startServer({ dbPath: join(dir, 'data/custody.db'), port: 0, checkpointSeconds: 0, log: () => undefined });
    await ok('officer', ['login', '--key', 'officer.key']);
    const enrol = async (id: string, roles: string) => {
      await ok('officer', ['prepare', 'EnrolPerson', `personId=${id}`, `name=Name of ${id}`, 'unit=Unit', 'clearance=secret', `roles=${roles}`, `publicKey=${keys[id]}`, 'enrolledBy=officer', '--sign', '--out', `enrol-${id}.json`]);
      await ok('officer', ['sign', `enrol-${id}.json`, '--key', `${id}.key`, '--submit']);
    };
    await enrol('clerk', '[{"role":"registry-clerk","registry":"R1"}]');
    await enrol('reader', '[]');
    for (const person of ['clerk', 'reader']) await ok(person, ['login', '--key', `${person}.key`]);
    await ok('clerk', [
      'prepare', 'RegisterCarrier', 'carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget',
      'description.originator=Central Office', 'description.reference=CO-1', 'description.copyNumber=1', 'description.itemCount=3',
      'description.registry=R1', 'holder=clerk', 'location=R1 safe 1', 'registeredBy=clerk', '--sign', '--submit',
    ]);
    await ok('clerk', ['prepare', 'TransferCustody', 'carrierId=C1', 'giver=clerk', 'receiver=reader', 'location=Office 12', '--sign', '--out', 'handover.json']);
    await ok('clerk', ['sign', 'handover.json', '--key', 'reader.key', '--submit']);
    const handover = JSON.parse(await readFile(join(dir, 'handover.json'), 'utf8')) as { act: { time: string }; signatures: Array<{ signedAt: string }> };
    preparedAt = handover.act.time;
    // The hand-over takes effect when its last signer (the reader) signs, not when it was prepared.
    transferredAt = handover.signatures.map((s) => s.signedAt).sort().at(-1)!;
    await ok('reader', ['prepare', 'ReportMissing', 'carrierId=C1', 'reportedBy=reader', 'circumstances=not in the drawer', '--sign', '--submit']);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('history shows when the hand-over took effect (the reader\'s signature), when it was prepared and recorded, and who signed when', async () => {
    expect(transferredAt >= preparedAt).toBe(true);
    const history = stdoutJson(await ok('officer', ['history', 'C1', '--json'])) as { items: Array<Record<string, unknown>> };
    expect(history.items[1]).toMatchObject({ type: 'CustodyTransferred', time: transferredAt, preparedAt, effectiveBy: 'last-signature' });
    expect(typeof history.items[1]!['recordedAt']).toBe('string');
    const table = await ok('officer', ['history', 'C1']);
    expect(table.stdout).toContain(`reader (Name of reader) ${transferredAt}`);
  });

  it('where --known-at answers as the ledger stood then: before the hand-over was recorded, the clerk held it', async () => {
    const history = stdoutJson(await ok('officer', ['history', 'C1', '--json'])) as { items: Array<{ recordedAt: string }> };
    const recordedAt = history.items[1]!.recordedAt;
    const unknownYet = new Date(Date.parse(transferredAt) - 1).toISOString();
    const then = stdoutJson(await ok('officer', ['where', 'C1', '--at', transferredAt, '--known-at', unknownYet, '--json']));
    expect(then).toMatchObject({ holders: ['clerk'], location: 'R1 safe 1' });
    const known = stdoutJson(await ok('officer', ['where', 'C1', '--at', transferredAt, '--known-at', recordedAt, '--json']));
    expect(known).toMatchObject({ holders: ['reader'], since: transferredAt });
    const held = stdoutJson(await ok('officer', ['holdings', 'clerk', '--at', transferredAt, '--known-at', unknownYet, '--json'])) as { carriers: Array<{ carrierId: string }> };
    expect(held.carriers.map((c) => c.carrierId)).toEqual(['C1']);
  });

  it('where --at answers who held the carrier just before and exactly at the hand-over', async () => {
    const before = new Date(Date.parse(transferredAt) - 1).toISOString();
    const earlier = await ok('officer', ['where', 'C1', '--at', before]);
    expect(earlier.stdout).toMatch(/^holders\s+clerk \(Name of clerk\)$/m);
    expect(earlier.stdout).toMatch(/^location\s+R1 safe 1$/m);
    const then = stdoutJson(await ok('clerk', ['where', 'C1', '--at', transferredAt, '--json']));
    expect(then).toMatchObject({ carrierId: 'C1', holders: ['reader'], location: 'Office 12', since: transferredAt });
    const bad = await as('officer', ['where', 'C1', '--at', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/at: at must be an ISO 8601 instant/);
  });

  it('trace names the reader who had it and what remains to be done; a reader may not ask (exit 4)', async () => {
    const trace = await ok('officer', ['trace', 'C1']);
    expect(trace.stdout).toMatch(/^C1 \(secret\) Budget: missing/);
    expect(trace.stdout).toMatch(/reported missing\s+by reader/);
    expect(trace.stdout).toMatch(/^reader\s+Name of reader\s+yes/m);
    expect(trace.stdout).toMatch(/Still to do:\n\s+\[R-LOSS-/);
    expect((await as('reader', ['trace', 'C1'])).code).toBe(4);
  });

  it('alerts --json lists the open missing case', async () => {
    const alerts = stdoutJson(await ok('officer', ['alerts', '--json'])) as { now: string; items: Array<{ rule: string; carrierId: string }> };
    expect(alerts.items).toEqual(expect.arrayContaining([expect.objectContaining({ carrierId: 'C1', rule: expect.stringMatching(/^R-LOSS/) })]));
    const human = await ok('officer', ['alerts', '--carrier', 'C1']);
    expect(human.stdout).toMatch(/open alerts? at .*\nRULE\s+SEVERITY\s+CARRIER/);
  });

  it('incident --format md prints the readable report; --out writes it to a private file', async () => {
    const window = ['--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z'];
    const md = await ok('officer', ['incident', ...window, '--carriers', 'C1', '--format', 'md']);
    expect(md.stdout).toMatch(/C1/);
    expect(md.stdout).toMatch(/reader/);
    await ok('officer', ['incident', ...window, '--person', 'reader', '--format', 'html', '--out', 'incident.html']);
    expect(await readFile(join(dir, 'incident.html'), 'utf8')).toMatch(/<svg/);
    const summary = await ok('officer', ['incident', ...window]);
    expect(summary.stdout).toMatch(/TransferCustody\s+C1\s+clerk, reader/);
    expect(summary.stdout).toMatch(/Made at \S+ by .+ \(officer\); custody shown up to \S+/);
    expect(summary.stdout).toMatch(/Ledger \S+; (checkpoint size \d+, root \S+|no checkpoint signed yet)/);
    const missing = await as('officer', ['incident', '--from', '2000-01-01T00:00:00Z']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/missing --to/)]);
  });

  it('policy shows the seed; a security officer adopts version 2 with a signed act, a clerk is refused (exit 1)', async () => {
    const seed = await ok('reader', ['policy']);
    expect(seed.stdout).toMatch(/^Policy in force at .*: seed-default version 1 \(the base policy/);
    expect(seed.stdout).toMatch(/^circulationMaxHours\s+48$/m);
    expect(seed.stdout).toMatch(/^copyApproval\.top-secret\s+originating-authority$/m);
    expect(seed.stdout).toMatch(/No policy change recorded\./);

    await writeFile(join(dir, 'new-policy.json'), JSON.stringify({ policy: { ...defaultPolicy, name: 'ministry-2027', version: 2, circulationMaxHours: 24 } }));
    const refused = await as('clerk', ['prepare', 'AdoptPolicy', 'adoptedBy=clerk', '--data-file', 'new-policy.json', '--sign', '--submit']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/R-POLICY.*clerk is not a security officer/)]);
    await ok('officer', ['prepare', 'AdoptPolicy', 'adoptedBy=officer', '--data-file', 'new-policy.json', '--sign', '--submit']);

    const now = await ok('clerk', ['policy']);
    expect(now.stdout).toMatch(/: ministry-2027 version 2 \(since .*, adopted by officer\)/);
    expect(now.stdout).toMatch(/^circulationMaxHours\s+24$/m);
    expect(now.stdout).toMatch(/1 change recorded:\nFROM\s+VERSION\s+NAME\s+ADOPTED BY\n\S+\s+2\s+ministry-2027\s+officer/);
    const reply = stdoutJson(await ok('clerk', ['policy', '--json'])) as { since: string; history: unknown[] };
    const before = new Date(Date.parse(reply.since) - 1).toISOString();
    expect((await ok('clerk', ['policy', '--at', before])).stdout).toMatch(/seed-default version 1/);
    const bad = await as('clerk', ['policy', '--at', 'last tuesday']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/at: at must be an ISO 8601 instant/)]);
  });
});
