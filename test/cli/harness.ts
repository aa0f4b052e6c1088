import { expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { CliIo } from '../../src/cli/io.js';

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
