import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the `custody` launcher, no type declarations
import { isFreshBuild } from '../../bin/compiled.js';

let root: string;
const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'custody-build-'));
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), '');
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', '.built'), '');
  for (const path of ['src/cli/main.ts', 'src/cli', 'src']) at(path, 1_000);
  at('dist/.built', 2_000);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the custody command runs dist/ only when it is a build of the current sources', () => {
  it('runs the build when nothing under src changed after it', () => {
    expect(isFreshBuild(root)).toBe(true);
  });

  it('runs the sources when one of them changed after the build', () => {
    at('src/cli/main.ts', 3_000);
    expect(isFreshBuild(root)).toBe(false);
  });

  it('runs the sources when a file was added or removed after the build', () => {
    unlinkSync(join(root, 'src', 'cli', 'main.ts'));
    expect(isFreshBuild(root)).toBe(false);
  });

  it('runs the sources when there is no finished build', () => {
    unlinkSync(join(root, 'dist', '.built'));
    expect(isFreshBuild(root)).toBe(false);
  });
});

describe('the custody command, either way it starts', () => {
  const bin = resolve(import.meta.dirname, '../../bin/custody.js');
  // Whichever way this checkout's dist/ stands, both ways must work: CI tests the build `npm ci` made.
  for (const fromSource of ['1', '0']) {
    it(`answers --help ${fromSource === '1' ? 'from the TypeScript sources' : 'from dist/ when it is fresh'}`, () => {
      const out = execFileSync(process.execPath, [bin, '--help'], { env: { ...process.env, CUSTODY_FROM_SOURCE: fromSource }, encoding: 'utf8' });
      expect(out).toMatch(/^custody: the chain-of-custody ledger from a terminal/);
    });
  }
});
