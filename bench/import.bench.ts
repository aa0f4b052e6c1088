import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/cli/io.js';
import { runCli } from '../src/cli/run.js';
import { startServer } from '../src/server/server.js';

type Result = { name: string; value: number; unit: string };

/** Rows in the generated register (issue #19 asks about 100k; `IMPORT_BENCH_ROWS` for another size). */
const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 2_000);

/**
 * `custody import` of a generated register through a real server on loopback, as a clerk runs it:
 * each line checked, looked up, prepared, signed and submitted one after the other (durable
 * appends). Then the same file again, which skips every line: the cost of resuming.
 */
export default async function importBench(): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-import-bench-'));
  const cli = async (person: string, argv: string[], server = 'http://127.0.0.1:1'): Promise<string> => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { HOME: dir, CUSTODY_HOME: join(dir, 'homes', person), CUSTODY_SERVER: server },
      cwd: dir,
    };
    const code = await runCli(argv, io);
    if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${stderr}`);
    return stdout;
  };
  try {
    const keys: Record<string, string> = {};
    for (const id of ['officer', 'clerk']) keys[id] = (await cli(id, ['keygen', '--id', id, '--out', `${id}.key`, '--no-passphrase'])).trim();
    await cli('officer', ['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Officer', '--unit', 'Security']);
    const server = await startServer({ dbPath: join(dir, 'data/custody.db'), port: 0, log: () => undefined });
    try {
      const as = (person: string, argv: string[]) => cli(person, argv, server.url);
      await as('officer', ['login', '--key', 'officer.key']);
      await as('officer', ['prepare', 'EnrolPerson', 'personId=clerk', 'name=Clerk', 'unit=Registry', 'clearance=top-secret', 'roles=[{"role":"registry-clerk","registry":"R1"}]', `publicKey=${keys['clerk']}`, 'enrolledBy=officer', '--sign', '--out', 'enrol.json']);
      await as('officer', ['sign', 'enrol.json', '--key', 'clerk.key', '--submit']);
      await as('clerk', ['login', '--key', 'clerk.key']);
      const lines = ['number,title,classification,kind,originator,reference,copy number,items,holder,location'];
      for (let i = 1; i <= ROWS; i++) lines.push(`B${i},"Register entry ${i}, imported",secret,document,Central Office,2026-${i},1,${1 + (i % 9)},clerk,R1 safe ${1 + (i % 4)}`);
      writeFileSync(join(dir, 'register.csv'), `${lines.join('\r\n')}\r\n`);
      const argv = ['import', 'register.csv', '--registry', 'R1', '--key', 'clerk.key', '--json'];
      let started = performance.now();
      await as('clerk', argv);
      const importSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      await as('clerk', argv);
      const resumeSeconds = (performance.now() - started) / 1000;
      return [
        { name: `import of ${ROWS} rows (lookup, prepare, sign, submit each)`, value: Math.round(ROWS / importSeconds), unit: 'rows/s' },
        { name: `re-run of the same ${ROWS} rows (all skipped)`, value: Math.round(ROWS / resumeSeconds), unit: 'rows/s' },
      ];
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
