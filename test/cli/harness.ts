import { expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';

export type Run = { code: number; stdout: string; stderr: string };

/** A scratch directory per test, removed afterwards. */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'custody-cli-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A transport that fails the test if anything tries the network. */
export const noNetwork: typeof fetch = () => {
  throw new Error('this command must not use the network');
};

/**
 * Runs one command line in-process, as the binary would, with captured output. `env` replaces the
 * environment entirely, so a developer's own CUSTODY_HOME or CUSTODY_SERVER never leaks in.
 */
export async function run(
  argv: string[],
  options: { cwd: string; env?: Record<string, string>; fetch?: typeof fetch; clock?: () => string; sleep?: (ms: number) => Promise<void> },
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: options.cwd, CUSTODY_HOME: join(options.cwd, '.custody'), ...options.env },
    cwd: options.cwd,
    fetch: options.fetch ?? noNetwork,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** The JSON a `--json` run printed on stdout. */
export const stdoutJson = (result: Run): Record<string, unknown> => JSON.parse(result.stdout) as Record<string, unknown>;
/** The JSON error a failing `--json` run printed on stderr. */
export const stderrJson = (result: Run): { error: Record<string, unknown> } => JSON.parse(result.stderr) as { error: Record<string, unknown> };

/**
 * Each person's machine in one process: their own CUSTODY_HOME under `dir()`, talking to `serverUrl()`
 * (read at call time, since the server starts after the scratch directory). `ok` also asserts exit 0.
 */
export function people(dir: () => string, serverUrl: () => string | undefined) {
  const as = (person: string, argv: string[]): Promise<Run> =>
    run(argv, {
      cwd: dir(),
      env: { CUSTODY_HOME: join(dir(), 'homes', person), CUSTODY_SERVER: serverUrl() ?? 'http://127.0.0.1:1' },
      fetch: globalThis.fetch,
    });
  const ok = async (person: string, argv: string[]): Promise<Run> => {
    const result = await as(person, argv);
    expect(result.code, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  return { as, ok };
}

export type Enrollee = { id: string; roles: string; name?: string; unit?: string };

/**
 * A running ledger with people on it, made as the walkthrough makes one: everyone makes a plain test
 * key, the officer creates the ledger offline, the server starts, the officer enrols each person
 * (who signs their own enrolment, proving they hold the key) and everyone logs in.
 */
export async function ledgerWithPeople(options: {
  dir: string;
  ok: (person: string, argv: string[]) => Promise<Run>;
  /** Called as soon as the server listens, so `people()`'s URL points at it before anyone logs in. */
  setServer: (server: RunningServer) => void;
  enrollees: Enrollee[];
  server?: Partial<ServerOptions>;
}): Promise<Record<string, string>> {
  const { dir, ok, enrollees } = options;
  const keys: Record<string, string> = {};
  for (const id of ['officer', ...enrollees.map((e) => e.id)]) {
    keys[id] = (await run(['keygen', '--no-passphrase', '--id', id, '--out', `${id}.key`], { cwd: dir })).stdout.trim();
  }
  await ok('officer', ['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security Office']);
  options.setServer(await startServer({ dbPath: join(dir, 'data/custody.db'), port: 0, log: () => undefined, ...options.server }));
  await ok('officer', ['login', '--key', 'officer.key']);
  for (const { id, roles, name = `Name of ${id}`, unit = 'Unit' } of enrollees) {
    await ok('officer', ['prepare', 'EnrolPerson', `personId=${id}`, `name=${name}`, `unit=${unit}`, 'clearance=secret', `roles=${roles}`, `publicKey=${keys[id]}`, 'enrolledBy=officer', '--sign', '--out', `enrol-${id}.json`]);
    await ok('officer', ['sign', `enrol-${id}.json`, '--key', `${id}.key`, '--submit']);
  }
  for (const { id } of enrollees) await ok(id, ['login', '--key', `${id}.key`]);
  return keys;
}
