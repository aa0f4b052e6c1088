import { parseCommandArgs, positionalsOf } from '../args.js';
import type { Command } from '../command.js';
import { encryptKey } from '../../crypto/portable/key-vault.js';
import { ENCRYPTED_KEY_FORMAT } from '../../domain/encrypted-key.js';
import { EXIT, refused, usageError } from '../errors.js';
import { readJsonFile, resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { readKeyFile, writeKeyFile } from '../key-file.js';
import { newPassphrase, PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';

const options = { ...PASSPHRASE_OPTIONS } as const;

export const key: Command = {
  name: 'key',
  summary: 'lock an old plain key file with a passphrase (or unlock one for automation)',
  usage: `Usage: custody key encrypt <key-file> [--passphrase-fd <n>] [--json]
       custody key decrypt <key-file> [--passphrase-fd <n>] [--json]

encrypt replaces a plain key file (made by an older custody, or with keygen --no-passphrase) with
the same key encrypted with a new passphrase, asked twice: the format keygen writes and the web app
imports. decrypt does the reverse, after the passphrase: for a machine whose disk is the protection.
The file is replaced whole or not at all, mode 0600; the public key does not change, so nothing
needs enrolling again.

Options:
${PASSPHRASE_HELP}
  --json               print { file, publicKey, encrypted }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    const [action, path] = positionalsOf(positionals, ['encrypt|decrypt', 'key-file']);
    if (action !== 'encrypt' && action !== 'decrypt') throw usageError(`unknown action ${action}: encrypt or decrypt`);
    const file = resolvePath(io, path!);
    const encrypted = ((await readJsonFile(file, 'key file')) as { format?: unknown } | null)?.format === ENCRYPTED_KEY_FORMAT;
    if (action === 'encrypt' && encrypted) throw refused(undefined, `${file} is already encrypted; nothing was changed`);
    if (action === 'decrypt' && !encrypted) throw refused(undefined, `${file} is not encrypted; nothing was changed`);
    const { file: _file, ...plain } = await readKeyFile(io, file);
    const content = action === 'encrypt' ? await encryptKey(plain, await newPassphrase(io, { fd: values['passphrase-fd'] })) : plain;
    await writeKeyFile(file, content, true);
    if (values.json) writeJson(io, { file, publicKey: plain.publicKey, encrypted: action === 'encrypt' });
    else writeLines(io.stdout, `${file} is now ${action === 'encrypt' ? 'encrypted with your passphrase' : 'NOT encrypted: whoever reads it can sign as you'} (mode 0600).`);
    return EXIT.ok;
  },
};
