import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { modeOf, resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { newKeyFile, writeKeyFile } from '../key-file.js';
import { EXIT, refused, usageError } from '../errors.js';
import { encryptKey } from '../../crypto/portable/key-vault.js';
import { newPassphrase, PASSPHRASE_OPTIONS } from '../passphrase.js';

const options = {
  out: { type: 'string' },
  id: { type: 'string' },
  force: { type: 'boolean' },
  'no-passphrase': { type: 'boolean' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const keygen: Command = {
  name: 'keygen',
  summary: 'make a new Ed25519 key file, locked with a passphrase (mode 0600), and print its public key',
  usage: `Usage: custody keygen --out <file> [--id <personId>] [--no-passphrase | --passphrase-fd <n>] [--force] [--json]

Makes a new Ed25519 key pair and writes it to <file>, readable by you alone (mode 0600), encrypted
with a passphrase you choose (asked twice; PBKDF2-SHA256, 600,000 rounds, and AES-256-GCM: the same
file the web app imports). Every command that signs asks for the passphrase. Keep the file on your
own machine; without the passphrase it signs nothing, and a forgotten passphrase cannot be recovered.

For automation the passphrase may come, instead of the prompt, from --passphrase-fd <n>,
CUSTODY_PASSPHRASE (other programs of yours can read it: prefer the others) or the first line of the
file CUSTODY_PASSPHRASE_FILE. --no-passphrase writes a plain { personId?, publicKey, secretKey } file.

The public key is printed alone on stdout, so a script can capture it:
  CLERK_KEY=$(custody keygen --id clerk --out clerk.key)
Give it to the security officer who enrols you.

Options:
  --out <file>     where to write the key file (refused if it exists)
  --id <personId>  whose key it is; later commands then need no --as
  --no-passphrase  write the key unencrypted (test ledgers, machines whose disk is the protection)
  --passphrase-fd <n>  read the new passphrase from file descriptor n (one line)
  --force          replace an existing file (the old key is lost)
  --json           print { file, personId, publicKey }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const file = resolvePath(io, required(values.out, '--out <file>'));
    const key = newKeyFile(values.id === undefined ? undefined : idArg(values.id, '--id'));
    // Checked before the passphrase is asked, so nobody types it twice for nothing; the write still
    // refuses atomically should the file appear meanwhile.
    if (values.force !== true && (await modeOf(file)) !== undefined) {
      throw refused(undefined, `${file} exists; refusing to overwrite it (use --force to replace it)`);
    }
    const locked = values['no-passphrase'] !== true;
    if (!locked && values['passphrase-fd'] !== undefined) throw usageError('--no-passphrase and --passphrase-fd contradict each other: give one');
    const content = locked ? await encryptKey(key, await newPassphrase(io, { fd: values['passphrase-fd'] })) : key;
    await writeKeyFile(file, content, values.force === true);
    if (values.json) {
      writeJson(io, { file, personId: key.personId ?? null, publicKey: key.publicKey });
    } else {
      writeLines(io.stdout, key.publicKey);
      writeLines(io.stderr, `Wrote the key${key.personId ? ` of ${key.personId}` : ''} to ${file} (mode 0600${locked ? ', encrypted with your passphrase' : ', NOT encrypted'}). Keep it secret; give the public key above to your security officer.`);
    }
    return EXIT.ok;
  },
};
