import { readFileSync } from 'node:fs';
import { fetchTrustingCa } from '../client/tls-fetch.js';
import type { CliIo } from './io.js';

/**
 * `--ca <file>` (anywhere before `--`) or CUSTODY_CA: the certificate authority that signed the
 * server's TLS certificate, trusted beside the system's. Taken here, for every command alike.
 */
export function withCaOption(argv: string[], io: CliIo): { argv: string[]; io: CliIo } | { error: string } {
  const end = argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--');
  const at = argv.slice(0, end).findIndex((a) => a === '--ca' || a.startsWith('--ca='));
  let file = io.env['CUSTODY_CA'];
  let rest = argv;
  if (at !== -1) {
    const flag = argv[at]!;
    file = flag === '--ca' ? argv[at + 1] : flag.slice(5);
    rest = [...argv.slice(0, at), ...argv.slice(at + (flag === '--ca' ? 2 : 1))];
    if (file === undefined || file === '') return { error: 'custody: --ca needs a file (the PEM certificate of the authority that signed the server\'s certificate)' };
  }
  if (file === undefined || file === '') return { argv, io };
  try {
    return { argv: rest, io: { ...io, fetch: fetchTrustingCa(readFileSync(file)) } };
  } catch (error) {
    return { error: `custody: cannot read the CA file ${file}: ${(error as Error).message}` };
  }
}

