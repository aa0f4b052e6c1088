import { idArg, parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { newKeyFile, writeKeyFile } from '../key-file.js';
import { EXIT } from '../errors.js';

const options = {
  out: { type: 'string' },
  id: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const keygen: Command = {
  name: 'keygen',
  summary: 'make a new Ed25519 key file (mode 0600) and print its public key',
  usage: `Usage: custody keygen --out <file> [--id <personId>] [--force] [--json]

Makes a new Ed25519 key pair and writes it to <file> as { personId?, publicKey, secretKey }, readable
by you alone (mode 0600). Whoever holds the file can sign as you: keep it on your own machine.

The public key is printed alone on stdout, so a script can capture it:
  CLERK_KEY=$(custody keygen --id clerk --out clerk.key)
Give it to the security officer who enrols you.

Options:
  --out <file>     where to write the key file (refused if it exists)
  --id <personId>  whose key it is; later commands then need no --as
  --force          replace an existing file (the old key is lost)
  --json           print { file, personId, publicKey }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const file = resolvePath(io, required(values.out, '--out <file>'));
    const key = newKeyFile(values.id === undefined ? undefined : idArg(values.id, '--id'));
    await writeKeyFile(file, key, values.force === true);
    if (values.json) {
      writeJson(io, { file, personId: key.personId ?? null, publicKey: key.publicKey });
    } else {
      writeLines(io.stdout, key.publicKey);
      writeLines(io.stderr, `Wrote the key${key.personId ? ` of ${key.personId}` : ''} to ${file} (mode 0600). Keep it secret; give the public key above to your security officer.`);
    }
    return EXIT.ok;
  },
};
