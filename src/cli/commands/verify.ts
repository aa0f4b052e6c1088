import { parseCommandArgs, positionalsOf, required } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, usageError } from '../errors.js';
import { resolvePath, readText } from '../files.js';
import { keysOf } from '../trusted-keys.js';
import { writeJson, writeLines, type CliIo } from '../io.js';
import { readBundleFile } from '../../verify/bundle/read.js';
import { verifyBundle } from '../../verify/bundle/verify-bundle.js';
import { formatIssue, type VerificationReport } from '../../verify/issues.js';
import { createProgressBar } from '../../verify/ledger/progress.js';
import { LedgerFileError } from '../../verify/ledger/source.js';
import { verifyLedgerFile } from '../../verify/ledger/verify-ledger.js';
import { createVerifier } from '../../crypto/ed25519.js';
import { checkKnownCheckpoints } from '../../verify/bundle/check-known.js';
import { missingLineageStreams } from '../../verify/bundle/file-lineage.js';
import { treeOfLedgerFile } from '../../verify/checkpoint/file-tree.js';
import type { CheckpointTrust } from '../../verify/checkpoint/verify-checkpoint.js';

const options = {
  trust: { type: 'string', multiple: true },
  witness: { type: 'string', multiple: true },
  quorum: { type: 'string' },
  known: { type: 'string', multiple: true },
  ledger: { type: 'boolean' },
  db: { type: 'string' },
  workers: { type: 'string' },
} as const;

export const verify: Command = {
  name: 'verify',
  summary: 'verify a bundle, or a whole local ledger, offline against the public keys you trust',
  usage: `Usage: custody verify <bundle> --trust <key> [--witness <key>]... [--quorum <n>] [--known <checkpoint>]... [--json]
       custody verify --ledger --db <ledger.db> --trust <key> [--witness <key>]... [--quorum <n>] [--workers <n>] [--json]

Checks, offline, with no server and no private key, trusting nothing in what it checks: the
checkpoint's signature against the ledger key you give, the witnesses' cosignatures, every earlier
checkpoint's consistency (a fork is reported), every event's signatures against the key its signer
held at the act's time (revocations apply), every chain link and hash, every inclusion proof and
stream head, that no stream the record depends on is missing, and the rules, replayed.
With --ledger it checks a whole SQLite ledger file on every core (progress on stderr).

Prints one line per issue, then a verdict. Exit 0 only if everything verifies, 1 if anything does not.

Keys (each a key file, or the key itself):
  --trust <key>     the ledger's public key: a verifier key (name+hash+base64), a JSON file with
                    "publicKey" (e.g. the server's ledger-key.json: only its public half is read),
                    or a bare base64url public key. Never taken from the bundle.
  --witness <key>   a witness you trust (verifier key or JSON file), repeatable
  --quorum <n>      how many of those witnesses must have cosigned (default: all given)
  --known <file>    a checkpoint you kept from before (custody checkpoint --out): what is verified
                    must be consistent with it, proved: the same tree, extending it, or a prefix of
                    it with the proof in the bundle (custody bundle --known). A smaller bundle
                    without that proof fails "rollback", another history fails "fork". With
                    --ledger, the file's own tree is compared.
Options:
  --ledger          verify a whole ledger file instead of a bundle (needs --db)
  --db <file>       the ledger's SQLite file
  --workers <n>     worker threads for --ledger (default: one per core)
  --json            print the report as JSON`,

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, options);
    const trustedLedgerKeys = await keysOf(io, required(values.trust, '--trust <key>'), 'ledger', '--trust');
    const trustedWitnessKeys = await keysOf(io, values.witness ?? [], 'witness', '--witness');
    const quorum = values.quorum === undefined ? undefined : countOf(values.quorum, '--quorum');
    if (quorum !== undefined && quorum > trustedWitnessKeys.length) {
      throw usageError(`--quorum ${quorum} asks for more witnesses than the ${trustedWitnessKeys.length} you trust`);
    }
    const trust = { trustedLedgerKeys, trustedWitnessKeys, ...(quorum === undefined ? {} : { quorum }) };
    let report: VerificationReport;
    let what: string;
    if (values.ledger) {
      positionalsOf(positionals, []);
      const db = resolvePath(io, required(values.db, '--db <ledger.db>'));
      what = db;
      const workers = values.workers === undefined ? undefined : Math.max(1, countOf(values.workers, '--workers'));
      const bar = (io.stderr as { isTTY?: boolean }).isTTY === true && !values.json ? createProgressBar(io.stderr) : undefined;
      try {
        report = await verifyLedgerFile(db, { ...trust, ...(workers ? { workers } : {}), ...(bar ? { onProgress: bar.update } : {}) });
      } catch (error) {
        if (error instanceof LedgerFileError) throw new CliError(EXIT.unavailable, error.message);
        throw error;
      } finally {
        bar?.done();
      }
      // A copy's stream, or its parent's, dropped whole: the bundle verifier's check, on the file.
      const lineage = missingLineageStreams(db);
      if (lineage.length > 0) report = { ...report, ok: false, issues: [...report.issues, ...lineage] };
      if (values.known !== undefined) report = withKnown(report, db, await readKnown(io, values.known), trust);
    } else {
      const [file] = positionalsOf(positionals, ['bundle']);
      what = resolvePath(io, file!);
      const read = await readBundleFile(what);
      if ('error' in read) throw new CliError(EXIT.unavailable, read.error);
      const knownCheckpoints = await readKnown(io, values.known ?? []);
      report = verifyBundle(read.bundle, { ...trust, knownCheckpoints });
    }
    if (values.json) writeJson(io, report);
    else printReport(io, report, what);
    return report.ok ? EXIT.ok : EXIT.refused;
  },
};

function printReport(io: CliIo, report: VerificationReport, what: string): void {
  for (const found of report.issues) writeLines(io.stdout, `FAIL  ${formatIssue(found)}`);
  for (const notice of report.notices) writeLines(io.stdout, `note  ${formatIssue(notice)}`);
  const { events, streams, signatures, checkpointSize, witnesses } = report.summary;
  const checked = `${events} events in ${streams} streams, ${signatures} signatures, checkpoint ${checkpointSize ?? 'none'}${witnesses.length > 0 ? `, cosigned by ${witnesses.join(', ')}` : ''}`;
  writeLines(
    io.stdout,
    report.ok
      ? `VERIFIED: ${what}: ${checked}`
      : `NOT VERIFIED: ${what}: ${report.issues.length} issue${report.issues.length === 1 ? '' : 's'} (${checked})`,
  );
}

const readKnown = (io: CliIo, files: readonly string[]) => Promise.all(files.map((k) => readText(resolvePath(io, k))));

/** A ledger file against the checkpoints the reader kept: its own tree (every leaf at hand) must hold each. */
function withKnown(report: VerificationReport, db: string, known: readonly string[], trust: CheckpointTrust): VerificationReport {
  const tree = treeOfLedgerFile(db);
  const size = tree.size();
  const top = { origin: '', size, root: tree.root(size), time: '', heads: { count: 0, root: tree.root(0) } };
  const issues = checkKnownCheckpoints(known, trust, undefined, createVerifier(), {
    top,
    seen: new Map(),
    proofs: [],
    rootAt: (at) => (at <= size ? tree.root(at) : undefined),
    label: 'the ledger file',
    carriesProofs: false,
    howToCover: `the file holds fewer events than your checkpoint: it was cut, or is an older copy; verify the ledger file the server runs on, or restore it from a backup holding at least that many events`,
  });
  return issues.length === 0 ? report : { ...report, ok: false, issues: [...report.issues, ...issues] };
}

function countOf(value: string, flag: string): number {
  if (!/^\d{1,6}$/.test(value)) throw usageError(`${flag} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}
