import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-main-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const FROM_SOURCE = ['--import', 'tsx', 'src/server/main.ts'];

/** The server's entry point as its own process, the way an operator runs it (by default the source itself). */
function start(args: string[], env: NodeJS.ProcessEnv = {}, entry = FROM_SOURCE) {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // 'close', not 'exit': a child can exit before the parent has read the last of its output.
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  /** The first match of `pattern` in the output once it appears: lines arrive in chunks, and not always before an HTTP reply. */
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((done, fail) => {
      const poll = setInterval(() => {
        const match = pattern.exec(output);
        if (match) {
          clearInterval(poll);
          done(match);
        }
      }, 20);
      void exited.then((code) => {
        clearInterval(poll);
        const match = pattern.exec(output);
        if (match) done(match);
        else fail(new Error(`exited with ${code} without printing ${pattern}:\n${output}`));
      });
    });
  const listening = printed(/listening on (http:\/\/\S+)/).then((match) => match[1]!);
  // A process that is meant to fail never listens; that is not an error of its own.
  listening.catch(() => undefined);
  return { child, listening, exited, printed, output: () => output };
}

const stop = async (child: ChildProcess, exited: Promise<number | null>) => {
  child.kill('SIGTERM');
  return exited;
};

describe('npm start (src/server/main.ts)', () => {
  it('serves on the port it logs, explains the first enrolment, and shuts down cleanly on SIGTERM', async () => {
    const server = start(['--db', join(dir, 'data', 'custody.db'), '--port', '0']);
    const url = await server.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect(server.output()).toMatch(/created ledger ledger-[0-9a-f]{16}/);
    await server.printed(/Nobody is enrolled yet[\s\S]*npm link[\s\S]*custody keygen --id officer --out officer\.key[\s\S]*custody init --db \S+ --key officer\.key/);
    expect(await stop(server.child, server.exited)).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: closing the server, then the ledger/);

    // The environment names the file as well as the flag does; the second start opens what the first created.
    const again = start([], { CUSTODY_DB: join(dir, 'data', 'custody.db'), CUSTODY_PORT: '0' });
    await again.listening;
    expect(again.output()).toMatch(/opened ledger ledger-[0-9a-f]{16}/);
    expect(await stop(again.child, again.exited)).toBe(0);
  });

  it('exits with 2 and the usage for a bad flag', async () => {
    const server = start(['--port', 'eighty']);
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/--port must be a whole number[\s\S]*Usage: npm start/);
  });
});

describe('npm start (bin/server.js)', () => {
  // Whichever way this checkout's dist/ stands, both ways must work: CI tests the build `npm ci` made.
  for (const fromSource of ['1', '0']) {
    it(`serves and stops ${fromSource === '1' ? 'from the TypeScript sources' : 'from dist/ when it is fresh'}`, async () => {
      const server = start(['--db', join(dir, 'custody.db'), '--port', '0'], { CUSTODY_FROM_SOURCE: fromSource }, ['bin/server.js']);
      const url = await server.listening;
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
      expect(await stop(server.child, server.exited)).toBe(0);
    });
  }

  it('is what npm start runs', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['start']).toMatch(/^node (--[\w-]+=\S+ )*bin\/server\.js$/);
  });
});
