import { closeSync, openSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptKey, encryptKey } from '../../src/crypto/portable/key-vault.js';
import type { SignedAct } from '../../src/domain/act.js';
import { EncryptedKeyFile } from '../../src/domain/encrypted-key.js';
import type { CliIo } from '../../src/cli/io.js';
import { newPassphrase, passphraseFor, type AskPassphrase } from '../../src/cli/passphrase.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createKit, type Kit } from '../ledger/kit.js';
import { run, scratchDir } from './harness.js';

/**
 * Keys locked at rest (issue #18): keygen encrypts by default in the web app's format, every command
 * that signs unlocks through readKeyFile with a passphrase from --passphrase-fd, CUSTODY_PASSPHRASE,
 * CUSTODY_PASSPHRASE_FILE or the terminal, and plain key files still sign.
 */
describe('key files locked with a passphrase', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let kit: Kit;
  const actFile = () => join(dir, 'dispatch.json');
  const readAct = async () => JSON.parse(await readFile(actFile(), 'utf8')) as SignedAct;

  /** courier1's key, as the web app's "export encrypted key file" writes it. */
  const encryptedKeyOf = async (personId: string, passphrase: string): Promise<string> => {
    const file = join(dir, `${personId}.key`);
    const { publicKey, secretKey } = kit.key(personId);
    await writeFile(file, JSON.stringify(await encryptKey({ personId, publicKey, secretKey }, passphrase)), { mode: 0o600 });
    return file;
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    kit = await createKit(createMemoryStore());
    await kit.enrolCast();
    await kit.register('TS1', 'top-secret', 'clerk1');
    const act = kit.ledger.prepare({
      type: 'DispatchTransport',
      data: { carrierIds: ['TS1'], transportId: 'T1', giver: 'clerk1', couriers: ['courier1', 'courier2'], destination: { registry: 'R2' }, leavesPremises: true },
    });
    await writeFile(actFile(), JSON.stringify({ act, signatures: [] }));
  });
  afterEach(() => cleanup());

  it('keygen encrypts by default (mode 0600, the web format), prints the public key, and the web code opens the file', async () => {
    const result = await run(['keygen', '--id', 'clerk1', '--out', 'clerk1.key'], { cwd: dir, env: { CUSTODY_PASSPHRASE: 'correct horse' } });
    expect(result.code, result.stderr).toBe(0);
    const file = join(dir, 'clerk1.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const content = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const encrypted = EncryptedKeyFile.parse(content);
    expect(encrypted).toMatchObject({ personId: 'clerk1', kdf: { name: 'PBKDF2', iterations: 600_000 } });
    expect(JSON.stringify(content)).not.toContain('secretKey');
    expect(result.stdout).toBe(`${encrypted.publicKey}\n`);
    expect(result.stderr).toContain('encrypted with your passphrase');
    expect(await decryptKey(content, 'correct horse')).toMatchObject({ personId: 'clerk1', publicKey: encrypted.publicKey });
  });

  it('keygen --no-passphrase writes the plain file, asking nothing', async () => {
    const result = await run(['keygen', '--no-passphrase', '--id', 'clerk1', '--out', 'clerk1.key'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const key = JSON.parse(await readFile(join(dir, 'clerk1.key'), 'utf8')) as Record<string, string>;
    expect(Object.keys(key).sort()).toEqual(['personId', 'publicKey', 'secretKey']);
    expect(result.stderr).toContain('NOT encrypted');
  });

  it('keygen with no passphrase source and no terminal stops with exit 2 naming the options, and writes nothing', async () => {
    const result = await run(['keygen', '--out', 'x.key'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--passphrase-fd <n>, CUSTODY_PASSPHRASE or CUSTODY_PASSPHRASE_FILE/);
    await expect(stat(join(dir, 'x.key'))).rejects.toThrow(/ENOENT/);
  });

  it('keygen refuses an empty passphrase', async () => {
    const result = await run(['keygen', '--out', 'x.key'], { cwd: dir, env: { CUSTODY_PASSPHRASE: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/passphrase is empty.*--no-passphrase/);
    await expect(stat(join(dir, 'x.key'))).rejects.toThrow(/ENOENT/);
  });

  it('a key file written by the CLI signs with the passphrase from CUSTODY_PASSPHRASE, and the ledger accepts it', async () => {
    const file = await encryptedKeyOf('courier1', 'pass one');
    const signed = await run(['sign', 'dispatch.json', '--key', file], { cwd: dir, clock: kit.clock, env: { CUSTODY_PASSPHRASE: 'pass one' } });
    expect(signed.code, signed.stderr).toBe(0);
    expect((await readAct()).signatures.map((s) => s.signer)).toEqual(['courier1']);
  });

  it('reads the passphrase from CUSTODY_PASSPHRASE_FILE (its first line, relative to the working directory)', async () => {
    const file = await encryptedKeyOf('courier1', 'from a file');
    await writeFile(join(dir, 'pass.txt'), 'from a file\nignored\n', { mode: 0o600 });
    const signed = await run(['sign', 'dispatch.json', '--key', file], { cwd: dir, clock: kit.clock, env: { CUSTODY_PASSPHRASE_FILE: 'pass.txt' } });
    expect(signed.code, signed.stderr).toBe(0);
    expect((await readAct()).signatures).toHaveLength(1);
  });

  it('reads the passphrase from --passphrase-fd, which wins over the environment', async () => {
    const file = await encryptedKeyOf('courier1', 'from fd');
    await writeFile(join(dir, 'pass.txt'), 'from fd\n');
    const fd = openSync(join(dir, 'pass.txt'), 'r');
    try {
      const signed = await run(['sign', 'dispatch.json', '--key', file, '--passphrase-fd', String(fd)], {
        cwd: dir,
        clock: kit.clock,
        env: { CUSTODY_PASSPHRASE: 'not this one' },
      });
      expect(signed.code, signed.stderr).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect((await readAct()).signatures).toHaveLength(1);
  });

  it('a wrong passphrase: a clear message, exit 4, and the act file is left as it was', async () => {
    const file = await encryptedKeyOf('courier1', 'right');
    const before = await readFile(actFile(), 'utf8');
    const signed = await run(['sign', 'dispatch.json', '--key', file], { cwd: dir, clock: kit.clock, env: { CUSTODY_PASSPHRASE: 'wrong' } });
    expect(signed.code).toBe(4);
    expect(signed.stderr).toMatch(/wrong passphrase for .*courier1\.key/);
    expect(await readFile(actFile(), 'utf8')).toBe(before);
  });

  it('an encrypted key and no source and no terminal: exit 2 naming the options, nothing signed', async () => {
    const file = await encryptedKeyOf('courier1', 'right');
    const before = await readFile(actFile(), 'utf8');
    const signed = await run(['sign', 'dispatch.json', '--key', file], { cwd: dir, clock: kit.clock });
    expect(signed.code).toBe(2);
    expect(signed.stderr).toMatch(/encrypted .*--passphrase-fd <n>, CUSTODY_PASSPHRASE or CUSTODY_PASSPHRASE_FILE/);
    expect(await readFile(actFile(), 'utf8')).toBe(before);
  });

  it('an old plain key file still signs, with no passphrase asked', async () => {
    const file = join(dir, 'courier2.key');
    const { publicKey, secretKey } = kit.key('courier2');
    await writeFile(file, JSON.stringify({ personId: 'courier2', publicKey, secretKey }), { mode: 0o600 });
    const signed = await run(['sign', 'dispatch.json', '--key', file], { cwd: dir, clock: kit.clock });
    expect(signed.code, signed.stderr).toBe(0);
    expect((await readAct()).signatures.map((s) => s.signer)).toEqual(['courier2']);
  });
});

describe('passphrase sources', () => {
  const ioWith = (env: Record<string, string>, askPassphrase?: AskPassphrase): CliIo & { askPassphrase?: AskPassphrase } => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    env,
    cwd: '/',
    ...(askPassphrase ? { askPassphrase } : {}),
  });
  const answers = (...typed: string[]): AskPassphrase => async () => typed.shift() ?? '';

  it('CUSTODY_PASSPHRASE comes before CUSTODY_PASSPHRASE_FILE, and the terminal is asked only when neither is set', async () => {
    expect(await passphraseFor(ioWith({ CUSTODY_PASSPHRASE: 'env', CUSTODY_PASSPHRASE_FILE: '/nonexistent' }), {}, '?')).toBe('env');
    expect(await passphraseFor(ioWith({}, answers('typed')), {}, '?')).toBe('typed');
  });

  it('a missing CUSTODY_PASSPHRASE_FILE is named in the error', async () => {
    await expect(passphraseFor(ioWith({ CUSTODY_PASSPHRASE_FILE: '/nonexistent/pass' }), {}, '?')).rejects.toThrow(/CUSTODY_PASSPHRASE_FILE \/nonexistent\/pass/);
  });

  it('--passphrase-fd must be a number', async () => {
    await expect(passphraseFor(ioWith({}), { fd: 'three' }, '?')).rejects.toThrow(/--passphrase-fd three is not a file descriptor/);
  });

  it('keygen on a terminal asks twice and refuses two different passphrases or an empty one', async () => {
    expect(await newPassphrase(ioWith({}, answers('same', 'same')), {})).toBe('same');
    await expect(newPassphrase(ioWith({}, answers('one', 'two')), {})).rejects.toThrow(/two passphrases differ/);
    await expect(newPassphrase(ioWith({}, answers('')), {})).rejects.toThrow(/passphrase is empty/);
  });
});
