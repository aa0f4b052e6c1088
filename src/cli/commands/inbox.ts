import type { CustodyApi, InboxItem } from '../../client/custody-api.js';
import { actIdOf } from '../../ledger/envelope.js';
import { signAct } from '../act-file.js';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { connect, type Connection } from '../connect.js';
import { CliError, EXIT, refused, usageError } from '../errors.js';
import { resolvePath } from '../files.js';
import { carriersOfAct, describeAct, table, text } from '../format.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { PASSPHRASE_HELP, PASSPHRASE_OPTIONS, usePassphraseSource } from '../passphrase.js';
import { readKeyFile, signerFor } from '../key-file.js';
import { namesOf, withNames } from '../names.js';
import { describeOutcome, shortId } from '../outcome.js';

const options = {
  key: { type: 'string' },
  as: { type: 'string' },
  reason: { type: 'string' },
  carrier: { type: 'string' },
  ...PASSPHRASE_OPTIONS,
} as const;

export const inbox: Command = {
  name: 'inbox',
  summary: 'list acts awaiting your signature; sign or decline one',
  usage: `Usage: custody inbox [--json]
       custody inbox sign (<actId> | --carrier <carrierId>) [--key <key-file>] [--json]
       custody inbox decline (<actId> | --carrier <carrierId>) --reason <text> [--json]

The co-signing inbox: acts someone submitted that still need your signature (a courier sees
"receive carrier X from Y"). <actId> may be shortened to any unique prefix of an id in your inbox;
--carrier picks the one act in your inbox about that carrier.

  inbox            lists them: act id, what it does, who is still missing, until when
  inbox sign       fetches the act, shows exactly what you sign, signs it with your key and sends
                   the signature; the act is appended the moment the last signature arrives
  inbox decline    refuses to sign, with a reason the others will see

Options:
  --key <key-file>   for sign: your key file (default: your login session's)
${PASSPHRASE_HELP}
  --as <personId>    for sign: who you are (default: the logged-in person)
  --reason <text>    for decline: why
  --carrier <id>     pick the act by the carrier it is about (when exactly one awaits you)
  --json             machine-readable output`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    usePassphraseSource(io, values);
    const [action, idOrPrefix] = positionals;
    if (action !== undefined && action !== 'sign' && action !== 'decline') {
      throw usageError(`unknown inbox action ${JSON.stringify(action)}: sign or decline`);
    }
    positionalsOf(positionals, [], ['action', 'actId']);
    if (action !== undefined && idOrPrefix === undefined && values.carrier === undefined) {
      throw usageError(`say which act: custody inbox ${action} <actId> (or a prefix of it), or --carrier <carrierId>`);
    }
    const reason = action === 'decline' ? required(values.reason, '--reason <text>') : undefined;
    const connection = await connect(io);
    if (action === undefined) return list(io, connection, values.json === true);
    const actId = await resolveActId(connection, { idOrPrefix, carrier: values.carrier });
    if (action === 'sign') return signPending(io, connection, actId, values.key, values.as, values.json === true);
    const reply = await connection.call((api) => api.decline(actId, reason!));
    if (values.json) writeJson(io, reply);
    else writeLines(io.stdout, `Declined act ${actId}: ${reason}`);
    return EXIT.ok;
  },
};

async function list(io: CliIo, connection: Connection, json: boolean): Promise<number> {
  const items = await connection.call((api) => api.inbox());
  if (json) {
    writeJson(io, { items });
    return EXIT.ok;
  }
  if (items.length === 0) {
    writeLines(io.stdout, `Nothing awaits the signature of ${connection.session.personId}.`);
    return EXIT.ok;
  }
  const names = await namesOf(connection);
  writeLines(
    io.stdout,
    ...table(
      ['ACT', 'WHAT', 'CARRIERS', 'MISSING', 'UNTIL'],
      items.map((item) => [shortId(item.actId), summaryOf(item), text(item.carriers ?? (item.act ? carriersOfAct(item.act) : [])), withNames(names, item.missing ?? []), item.expiresAt ?? '-']),
    ),
    '',
    'Sign one with: custody inbox sign <act>   Decline: custody inbox decline <act> --reason "..."',
  );
  return EXIT.ok;
}

const summaryOf = (item: InboxItem): string => item.summary ?? item.act?.command.type ?? '-';

async function signPending(io: CliIo, connection: Connection, actId: string, keyFlag: string | undefined, as: string | undefined, json: boolean): Promise<number> {
  const key = await readKeyFile(io, keyFlag === undefined ? connection.session.keyFile : resolvePath(io, keyFlag));
  const signer = signerFor(key, as ?? (key.personId === undefined ? connection.session.personId : undefined));
  const pending = await connection.call((api) => api.act(actId));
  // The signature covers the act as received: it must be the act the id names, not something else.
  if (actIdOf(pending.act) !== actId) {
    throw refused('L-2', `the server sent an act whose id is ${actIdOf(pending.act)}, not ${actId}; not signing it`);
  }
  const { signature, alreadySigned } = signAct({ act: pending.act, signatures: [] }, signer, key, io.clock?.());
  if (alreadySigned) throw new CliError(EXIT.refused, `${signer} already signed act ${actId}`);
  const outcome = await connection.call((api) => api.addSignature(actId, signature));
  if (json) {
    writeJson(io, { actId, signer, outcome });
    return EXIT.ok;
  }
  const collected = [...pending.signatures.filter((s) => s.signer !== signer), signature];
  writeLines(io.stdout, 'Signing', ...describeAct({ act: pending.act, signatures: collected }, actId), `Signed as ${signer}.`, ...describeOutcome(outcome));
  return EXIT.ok;
}

/** A full id as given, or the one act in the inbox that matches the prefix and/or the carrier. */
async function resolveActId(connection: Connection, by: { idOrPrefix: string | undefined; carrier: string | undefined }): Promise<string> {
  const { idOrPrefix, carrier } = by;
  if (idOrPrefix !== undefined && !/^[0-9a-f]{4,64}$/.test(idOrPrefix)) {
    throw usageError(`${JSON.stringify(idOrPrefix)} is not an act id (64 hex digits, or at least 4 of them as a prefix)`);
  }
  if (idOrPrefix?.length === 64 && carrier === undefined) return idOrPrefix;
  const items = await connection.call((api: CustodyApi) => api.inbox());
  const matches = items.filter(
    (item) =>
      (idOrPrefix === undefined || item.actId.startsWith(idOrPrefix)) &&
      (carrier === undefined || (item.carriers ?? (item.act ? carriersOfAct(item.act) : [])).includes(carrier)),
  );
  const what = [idOrPrefix && `starts with ${idOrPrefix}`, carrier && `is about carrier ${carrier}`].filter(Boolean).join(' and ');
  if (matches.length === 1) return matches[0]!.actId;
  if (matches.length === 0) throw new CliError(EXIT.notFound, `no act awaiting ${connection.session.personId} ${what}`);
  throw usageError(`${matches.length} acts in your inbox match (${matches.map((m) => shortId(m.actId)).join(', ')}); give the act id`);
}
