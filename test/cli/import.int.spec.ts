import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { ledgerWithPeople, people, scratchDir, stdoutJson } from './harness.js';

/**
 * Importing an existing register (issue #19), in-process against a real server: good lines,
 * a bad classification, a missing field, a rule refusal, a holder who must co-sign, a dry run that
 * appends nothing and a re-run that skips everything already registered.
 */
const REGISTER = [
  '\uFEFFNumber,Title,Classification,Kind,Originator,Reference,Copy number,Items,Holder,Location',
  'C1,"Budget, 2026",secret,document,Central Office,2026-01,1,3,clerk,R1 safe 1',
  'C2,"Plan ""North""",confidential,disk,Central Office,2026-02,1,1,clerk,R1 safe 1',
  'C3,Memo,very-secret,document,Central Office,2026-03,1,2,clerk,R1 safe 1',
  'C4,Minutes,secret,document,Central Office,,1,2,clerk,R1 safe 2',
  'C5,"Report',
  'with two lines",secret,document,Central Office,2026-05,2,4,analyst,Analysis room',
  'C6,Top report,top-secret,document,Central Office,2026-06,1,1,analyst,Analysis room',
  'C2,Plan copy,confidential,disk,Central Office,2026-09,2,1,clerk,R1 safe 1',
  '',
].join('\r\n');

type Row = { line: number; carrierId: string; status: string; reason?: string; field?: string; rule?: string; missing?: string[]; actId?: string };
type Report = { dryRun: boolean; total: number; imported: number; pending: number; wouldImport: number; skipped: number; refused: number; rows: Row[] };

describe('custody import', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );
  const history = async (carrierId: string) => (await as('clerk', ['history', carrierId, '--json'])).stdout;
  const inboxOf = async (person: string) => (stdoutJson(await ok(person, ['inbox', '--json'])) as { items: Array<{ actId: string }> }).items;

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    await ledgerWithPeople({ dir, ok, setServer: (started) => (server = started), enrollees: [{ id: 'clerk', roles: '[{"role":"registry-clerk","registry":"R1"}]' }, { id: 'analyst', roles: '[]' }] });
    await writeFile(join(dir, 'register.csv'), REGISTER);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  const importJson = async (extra: string[] = []) => {
    const result = await as('clerk', ['import', 'register.csv', '--registry', 'R1', '--key', 'clerk.key', '--json', ...extra]);
    return { code: result.code, report: stdoutJson(result) as unknown as Report, stderr: result.stderr };
  };
  const statusByLine = (report: Report) => Object.fromEntries(report.rows.map((r) => [`${r.line} ${r.carrierId}`, r.status]));

  it('--dry-run names every line that would be refused, by line and field or rule, and appends nothing', async () => {
    const { code, report, stderr } = await importJson(['--dry-run']);
    expect(code, stderr).toBe(1);
    expect(report).toMatchObject({ dryRun: true, total: 7, wouldImport: 3, refused: 4, skipped: 0, imported: 0 });
    const refused = report.rows.filter((r) => r.status === 'refused').map(({ line, carrierId, field, rule }) => ({ line, carrierId, field, rule }));
    expect(refused).toEqual([
      { line: 4, carrierId: 'C3', field: 'description.classification', rule: undefined },
      { line: 5, carrierId: 'C4', field: 'description.reference', rule: undefined },
      { line: 8, carrierId: 'C6', field: undefined, rule: 'R-HOLD-2' },
      { line: 9, carrierId: 'C2', field: 'carrierId', rule: undefined },
    ]);
    for (const carrierId of ['C1', 'C2', 'C5']) expect((await as('clerk', ['where', carrierId])).code).toBe(3);
    expect(await inboxOf('analyst')).toEqual([]);
  });

  it('imports the good lines, leaves the co-signed one in the holder\'s inbox, lists the refused, exit 1', async () => {
    const result = await as('clerk', ['import', 'register.csv', '--registry', 'R1', '--key', 'clerk.key']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('Imported 3 carriers (1 waiting for the holder\'s signature: custody inbox), 0 skipped (already registered or waiting), 4 refused.');
    expect(result.stdout).toMatch(/ 6 +C5 +[0-9a-f]{12} +analyst\n/);
    expect(result.stdout).toMatch(/ 4 +C3 +description\.classification +description\.classification must be one of/);
    expect(result.stdout).toMatch(/ 8 +C6 +R-HOLD-2 +analyst is cleared to secret/);
    expect(result.stdout).toMatch(/ 9 +C2 +carrierId +number C2 is already on line 3 of this register\n/);
    expect(result.stderr).toMatch(/7 of 7 lines imported \(100%\), [\d.]+ lines\/s, done\n$/);
    expect((await ok('clerk', ['where', 'C1', '--json'])).stdout).toContain('R1 safe 1');
    // Run again before the holder signs: C5 is not sent a second time.
    const again = await importJson();
    expect(again.report.rows.find((r) => r.carrierId === 'C5')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^waiting for the signature of analyst/) });
    // The holder signs in the inbox; then C5 is registered.
    const waiting = await inboxOf('analyst');
    expect(waiting).toHaveLength(1);
    const actId = waiting[0]!.actId;
    await ok('analyst', ['inbox', 'sign', actId.slice(0, 12)]);
    expect((await ok('analyst', ['where', 'C5', '--json'])).stdout).toContain('Analysis room');
  });

  it('a re-run skips every carrier already registered and imports nothing twice', async () => {
    const before = await history('C1');
    const { code, report } = await importJson();
    expect(code).toBe(1);
    expect(report).toMatchObject({ imported: 0, pending: 0, skipped: 3, refused: 4 });
    expect(statusByLine(report)).toEqual({ '2 C1': 'skipped', '3 C2': 'skipped', '4 C3': 'refused', '5 C4': 'refused', '6 C5': 'skipped', '8 C6': 'refused', '9 C2': 'refused' });
    expect(await history('C1')).toEqual(before);
    expect(await inboxOf('analyst')).toEqual([]);
  });

  it('refuses a malformed file or an unknown column before anything is sent (exit 2)', async () => {
    await writeFile(join(dir, 'broken.csv'), 'number,title\nC9,"never closed\n');
    const broken = await as('clerk', ['import', 'broken.csv', '--registry', 'R1', '--key', 'clerk.key']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('line 2: a quoted field is never closed');
    await writeFile(join(dir, 'columns.csv'), 'number,colour\nC9,red\n');
    const columns = await as('clerk', ['import', 'columns.csv', '--registry', 'R1', '--key', 'clerk.key']);
    expect(columns.code).toBe(2);
    expect(columns.stderr).toContain('unknown column "colour"');
    const missingFlag = await as('clerk', ['import', 'register.csv', '--key', 'clerk.key']);
    expect(missingFlag.code).toBe(2);
  });
});
