import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptKey, newPlainKey } from '../../src/crypto/portable/key-vault.js';
import { run, scratchDir } from './harness.js';

/** `custody key encrypt|decrypt`: an old plain key file locked in place, and back, the key unchanged. */
describe('custody key encrypt / decrypt', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
  afterEach(() => cleanup());

  it('encrypts a plain key file in place (0600, same key), refuses to do it twice, and decrypts it back', async () => {
    const plain = newPlainKey('clerk1');
    const file = join(dir, 'clerk1.key');
    await writeFile(file, JSON.stringify(plain), { mode: 0o644 });
    const env = { CUSTODY_PASSPHRASE: 'new one' };

    const locked = await run(['key', 'encrypt', 'clerk1.key'], { cwd: dir, env });
    expect(locked.code, locked.stderr).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const content = JSON.parse(await readFile(file, 'utf8')) as unknown;
    expect(await decryptKey(content, 'new one')).toEqual(plain);

    const again = await run(['key', 'encrypt', 'clerk1.key'], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already encrypted; nothing was changed/);

    const wrong = await run(['key', 'decrypt', 'clerk1.key'], { cwd: dir, env: { CUSTODY_PASSPHRASE: 'not it' } });
    expect(wrong.code).toBe(4);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(content);

    const unlocked = await run(['key', 'decrypt', 'clerk1.key', '--json'], { cwd: dir, env });
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(plain);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keygen refuses --no-passphrase together with --passphrase-fd', async () => {
    const result = await run(['keygen', '--no-passphrase', '--passphrase-fd', '3', '--out', 'x.key'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/contradict/);
  });
});
