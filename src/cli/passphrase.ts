import { readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CliError, EXIT, usageError } from './errors.js';
import { resolvePath } from './files.js';
import type { CliIo } from './io.js';

/**
 * Where the passphrase of an encrypted key file comes from, in this order: `--passphrase-fd N` (one
 * line read from that file descriptor), CUSTODY_PASSPHRASE, the first line of CUSTODY_PASSPHRASE_FILE,
 * else a prompt on the terminal with echo off. The environment variable is the weakest: other
 * processes of the same user may read it, and shells keep it in history; prefer the fd or the file.
 */

/** The flag of every command that unlocks a key. */
export const PASSPHRASE_OPTIONS = { 'passphrase-fd': { type: 'string' } } as const;

export const PASSPHRASE_HELP = `  --passphrase-fd <n>  read the key's passphrase from file descriptor n (one line); else from
                       CUSTODY_PASSPHRASE, else the file named by CUSTODY_PASSPHRASE_FILE, else a prompt`;

export type PassphraseSource = { fd?: string | undefined };

/** Asks on the terminal with echo off; tests substitute one. */
export type AskPassphrase = (prompt: string) => Promise<string>;

/**
 * A passphrase a command already read, per run of a command (one io): an fd can be read only once,
 * and a person should not type it twice when a command both renews its session and signs.
 */
const remembered = new WeakMap<CliIo, string>();
/** The --passphrase-fd a command was given, for every key it unlocks (its session's included). */
const sources = new WeakMap<CliIo, PassphraseSource>();

/** Called by a command after parsing its flags: where its passphrase comes from. */
export function usePassphraseSource(io: CliIo, values: { 'passphrase-fd'?: string | undefined }): void {
  sources.set(io, { fd: values['passphrase-fd'] });
}

/** The passphrase from the first source given, asking on the terminal when none is. */
export async function passphraseFor(io: CliIo & { askPassphrase?: AskPassphrase }, source: PassphraseSource, prompt: string): Promise<string> {
  const known = remembered.get(io);
  if (known !== undefined) return known;
  const passphrase = await readFromSources(io, source.fd !== undefined ? source : (sources.get(io) ?? source), prompt);
  remembered.set(io, passphrase);
  return passphrase;
}

/** A new passphrase (keygen): given by a source once, or typed twice on the terminal; never empty. */
export async function newPassphrase(io: CliIo & { askPassphrase?: AskPassphrase }, source: PassphraseSource): Promise<string> {
  const given = await givenPassphrase(io, source);
  if (given !== undefined) {
    if (given === '') throw new CliError(EXIT.usage, 'the passphrase is empty: give one, or use --no-passphrase for a plain key file');
    return given;
  }
  const ask = asker(io);
  const first = await ask('New passphrase for the key file: ');
  if (first === '') throw new CliError(EXIT.usage, 'the passphrase is empty: give one, or use --no-passphrase for a plain key file');
  const second = await ask('Type it again: ');
  if (first !== second) throw new CliError(EXIT.usage, 'the two passphrases differ; nothing was written');
  return first;
}

async function readFromSources(io: CliIo & { askPassphrase?: AskPassphrase }, source: PassphraseSource, prompt: string): Promise<string> {
  return (await givenPassphrase(io, source)) ?? asker(io)(prompt);
}

async function givenPassphrase(io: CliIo, source: PassphraseSource): Promise<string | undefined> {
  if (source.fd !== undefined) return readLineFromFd(parseFd(source.fd));
  const fromEnv = io.env.CUSTODY_PASSPHRASE;
  if (fromEnv !== undefined) return fromEnv;
  const file = io.env.CUSTODY_PASSPHRASE_FILE;
  if (file !== undefined) {
    const path = resolvePath(io, file);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      throw new CliError(EXIT.unavailable, `cannot read CUSTODY_PASSPHRASE_FILE ${path}: ${(error as Error).message}`);
    });
    return firstLine(text);
  }
  return undefined;
}

function parseFd(text: string): number {
  if (!/^\d+$/.test(text)) throw usageError(`--passphrase-fd ${text} is not a file descriptor number`);
  return Number(text);
}

const firstLine = (text: string): string => text.split(/\r?\n/, 1)[0] ?? '';

/** One line from an fd, read byte by byte so nothing after the line is consumed. */
function readLineFromFd(fd: number): string {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, one, 0, 1, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw new CliError(EXIT.usage, `cannot read the passphrase from file descriptor ${fd} (${code ?? String(error)})`);
    }
    if (n === 0 || one[0] === 0x0a) break;
    bytes.push(one[0]!);
  }
  return firstLine(Buffer.from(bytes).toString('utf8'));
}

function asker(io: CliIo & { askPassphrase?: AskPassphrase }): AskPassphrase {
  if (io.askPassphrase) return io.askPassphrase;
  return (prompt) => askOnTerminal(io, prompt);
}

const NO_SOURCE =
  'the key file is encrypted and there is no terminal to ask for its passphrase: give it with ' +
  '--passphrase-fd <n>, CUSTODY_PASSPHRASE or CUSTODY_PASSPHRASE_FILE';

/** Reads a line from the terminal without echoing it; the prompt goes to stderr. */
function askOnTerminal(io: CliIo, prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new CliError(EXIT.usage, NO_SOURCE));
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: CliError) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError(EXIT.usage, 'interrupted; nothing was done'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
