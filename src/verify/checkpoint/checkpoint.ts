import { IsoTime } from '../../domain/primitives.js';
import { hashFromBase64, hashToBase64 } from '../merkle/hash.js';

/**
 * A checkpoint in the C2SP tlog-checkpoint text format (https://c2sp.org/tlog-checkpoint):
 *
 *     <origin: the ledger id>
 *     <tree size>
 *     <root hash, base64>
 *     time <ISO time the ledger signed it>
 *     heads <stream count> <stream-heads root, base64>
 *
 * The tree is over every event's hash in global order (the `ledger-checkpoints` stream excepted).
 * The `heads` extension commits to each stream's last revision and hash at that size, so that a
 * bundle holding one carrier's stream can show that it holds all of it (see heads.ts).
 */
export type Checkpoint = {
  origin: string;
  size: number;
  root: Uint8Array;
  time: IsoTime;
  heads: { count: number; root: Uint8Array };
};

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

export function checkpointText(checkpoint: Checkpoint): string {
  const { origin, size, root, time, heads } = checkpoint;
  return `${origin}\n${size}\n${hashToBase64(root)}\ntime ${time}\nheads ${heads.count} ${hashToBase64(heads.root)}\n`;
}

/** Parses a checkpoint's text (the signed part of the note); a sentence naming the problem otherwise. */
export function parseCheckpointText(text: string): Checkpoint | string {
  const lines = text.split('\n');
  if (lines.pop() !== '') return 'the checkpoint text does not end with a newline';
  if (lines.length !== 5) return `a checkpoint has 5 lines (origin, size, root, time, heads), this one has ${lines.length}`;
  const [origin, sizeText, rootText, timeLine, headsLine] = lines as [string, string, string, string, string];
  if (origin.length === 0) return 'the checkpoint has no origin';
  if (!DECIMAL.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) return `the checkpoint size ${JSON.stringify(sizeText)} is not a decimal number`;
  const root = hashFromBase64(rootText);
  if (!root) return 'the checkpoint root is not a base64 SHA-256 hash';
  const time = /^time (.+)$/u.exec(timeLine)?.[1];
  if (time === undefined || !IsoTime.safeParse(time).success) return 'the checkpoint\'s "time" line is not an ISO UTC time';
  const heads = /^heads (\S+) (\S+)$/u.exec(headsLine);
  const headsRoot = heads ? hashFromBase64(heads[2]) : undefined;
  if (!heads || !DECIMAL.test(heads[1]!) || !headsRoot) return 'the checkpoint\'s "heads" line is not "heads <count> <base64 root>"';
  return { origin, size: Number(sizeText), root, time, heads: { count: Number(heads[1]), root: headsRoot } };
}
