import type { SubmitOutcome } from '../client/custody-api.js';
import { writeLines, type CliIo } from './io.js';

/** What happened to a submitted act: appended (with each stream's new revision) or pending (who is missing). */
export function describeOutcome(outcome: SubmitOutcome, options: { verbose?: boolean } = {}): string[] {
  const id = options.verbose ? outcome.actId : shortId(outcome.actId);
  if (outcome.status === 'appended' && outcome['alreadyRecorded'] === true) {
    return [`Already appended: act ${shortId(outcome.actId)} was recorded before; nothing new was appended.`];
  }
  if (outcome.status === 'appended') {
    return [
      `Appended act ${id}`,
      ...outcome.events.map((e) => `  ${e.stream} revision ${String(e.revision)}`),
    ];
  }
  return [
    `Pending: act ${id} waits for the signature${outcome.missing.length === 1 ? '' : 's'} of ${outcome.missing.join(', ')}${outcome.expiresAt ? ` (until ${outcome.expiresAt})` : ''}.`,
    `  They sign it with: custody inbox sign ${shortId(outcome.actId)}`,
    '  (or offline on the act file: custody sign <act-file> --key <their key>, then custody submit <act-file>)',
  ];
}

export const printOutcome = (io: CliIo, outcome: SubmitOutcome, options: { verbose?: boolean } = {}): void =>
  writeLines(io.stdout, ...describeOutcome(outcome, options));

/** Act ids are 64 hex digits; a unique prefix is enough wherever the CLI takes one. */
export const shortId = (actId: string): string => actId.slice(0, 12);
