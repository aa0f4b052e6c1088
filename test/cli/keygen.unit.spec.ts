import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyFromSecret } from '../../src/crypto/ed25519.js';
import { run, scratchDir, stderrJson, stdoutJson } from './harness.js';

describe('custody keygen', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
  afterEach(() => cleanup());

  it('--no-passphrase writes a plain key file only its owner can read (mode 0600) and prints the public key alone on stdout', async () => {
    const result = await run(['keygen', '--no-passphrase', '--id', 'clerk1', '--out', 'keys/clerk1.key'], { cwd: dir });
    expect(result.code).toBe(0);
    const file = join(dir, 'keys/clerk1.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = JSON.parse(await readFile(file, 'utf8')) as { personId: string; publicKey: string; secretKey: string };
    expect(key.personId).toBe('clerk1');
    expect(publicKeyFromSecret(key.secretKey)).toBe(key.publicKey);
    expect(result.stdout).toBe(`${key.publicKey}\n`);
    expect(result.stderr).toContain('mode 0600');
  });

  it('refuses to overwrite an existing file (exit 1) and leaves it as it was', async () => {
    await writeFile(join(dir, 'me.key'), 'precious');
    const result = await run(['keygen', '--out', 'me.key'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/me\.key exists; refusing to overwrite it \(use --force/);
    expect(await readFile(join(dir, 'me.key'), 'utf8')).toBe('precious');
  });

  it('replaces an existing file with --force, still mode 0600', async () => {
    await writeFile(join(dir, 'me.key'), 'old', { mode: 0o644 });
    const result = await run(['keygen', '--no-passphrase', '--out', 'me.key', '--force', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect((await stat(join(dir, 'me.key'))).mode & 0o777).toBe(0o600);
    expect(stdoutJson(result)).toEqual({ file: join(dir, 'me.key'), personId: null, publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('two runs make two different keys', async () => {
    const a = await run(['keygen', '--no-passphrase', '--out', 'a.key'], { cwd: dir });
    const b = await run(['keygen', '--no-passphrase', '--out', 'b.key'], { cwd: dir });
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('refuses a missing --out and a malformed --id as usage errors (exit 2), as JSON with --json', async () => {
    const missing = await run(['keygen'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^custody keygen: missing --out <file>\n\nUsage: custody keygen/);
    const badId = await run(['keygen', '--out', 'x.key', '--id', 'no spaces', '--json'], { cwd: dir });
    expect(badId.code).toBe(2);
    expect(stderrJson(badId).error).toMatchObject({ exitCode: 2, kind: 'usage', message: expect.stringMatching(/^--id "no spaces" is not an id/) });
  });
});
