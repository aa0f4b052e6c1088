import { existsSync } from 'node:fs';
import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT } from '../errors.js';
import { resolvePath } from '../files.js';
import { writeJson, writeLines } from '../io.js';
import { createSqliteStore } from '../../store/sqlite.js';
import { createLedgerLog, UnhashedEvent } from '../../verify/checkpoint/log.js';
import { auditStoredEvents } from '../../verify/checkpoint/pre-sign-audit.js';

const options = { db: { type: 'string' } } as const;

export const audit: Command = {
  name: 'audit',
  summary: "check a ledger file's stored bytes: every event's hash and signatures, as the server does before signing",
  usage: `Usage: custody audit --db <ledger.db> [--json]

Reads every event of a ledger file as stored and checks, with no key and no server, that each event's
hash recomputed from its content is the hash stored with it (the one the checkpoints' tree holds) and
that every signature verifies over its act: a row edited in the file (with sqlite3 or by hand) is
named by stream, revision and position. The server runs the same check on every event before a
checkpoint first covers it. Key validity, chains, proofs and the rules: custody verify --ledger.

Exit 0 if every event checks out, 1 if any does not.

Options:
  --db <file>  the ledger's SQLite file
  --json       print { events, tampered: [{ stream, revision, position, problem }] }`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    positionalsOf(positionals, []);
    const db = resolvePath(io, required(values.db, '--db <ledger.db>'));
    if (!existsSync(db)) throw new CliError(EXIT.unavailable, `no ledger file at ${db}`);
    const store = createSqliteStore({ path: db });
    try {
      const log = createLedgerLog(store);
      let size: number;
      try {
        size = await log.sync();
      } catch (error) {
        if (error instanceof UnhashedEvent) throw new CliError(EXIT.refused, `${db}: ${error.message}: it was written around the ledger, or edited`);
        throw error;
      }
      const tampered = await auditStoredEvents(store, log, 0, size);
      if (values.json) writeJson(io, { events: size, tampered });
      else {
        for (const t of tampered) writeLines(io.stdout, `FAIL  tampered-event ${t.stream}@${t.revision} (position ${t.position}): ${t.problem}`);
        writeLines(io.stdout, tampered.length === 0 ? `AUDITED: ${db}: ${size} events, every stored hash and signature checks out` : `NOT AUDITED: ${db}: ${tampered.length} of ${size} events changed since they were appended`);
      }
      return tampered.length === 0 ? EXIT.ok : EXIT.refused;
    } finally {
      await store.close();
    }
  },
};
