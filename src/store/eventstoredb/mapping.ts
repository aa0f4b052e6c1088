/**
 * Numbers crossing the boundary with @eventstore/db-client. Its types promise `bigint` for revisions
 * and positions, but it has handed out `number` (and, from the generated protobuf code, decimal
 * strings): every value that comes from the client goes through `toBigInt`, which accepts those
 * three forms when they are exact and refuses anything that has already lost precision.
 */
import { END, NO_STREAM, START, type AppendExpectedRevision, type Position, type ReadPosition } from '@eventstore/db-client';
import type { ExpectedRevision } from '../port.js';

/** A whole number from the client as a bigint; `what` names it in the error. */
export function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    // Above 2^53 a number is already rounded: converting it would invent a revision or position.
    if (Number.isSafeInteger(value)) return BigInt(value);
    throw new RangeError(`${what} is ${value}, not an exact integer: it lost precision before reaching the adapter`);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`${what} must be an integer (bigint, safe number or decimal string), got ${describe(value)}`);
}

/** A stream revision (first event 0n, as in every adapter). */
export function toRevision(value: unknown, what = 'revision'): bigint {
  const revision = toBigInt(value, what);
  if (revision < 0n) throw new RangeError(`${what} must be >= 0, got ${revision}`);
  return revision;
}

/** Our global position: the commit position of an event in the transaction log. */
export function toPosition(position: Partial<Position> | undefined, what = 'position'): bigint {
  if (position === undefined || position === null || position.commit === undefined) {
    throw new TypeError(`${what} is missing: EventStoreDB 22.6 or newer returns the position of every event it reads`);
  }
  const commit = toBigInt(position.commit, `${what}.commit`);
  if (commit < 0n) throw new RangeError(`${what}.commit must be >= 0, got ${commit}`);
  return commit;
}

/** Our expectation in the client's terms. Never ANY or STREAM_EXISTS: every append states exactly where the stream is. */
export function toClientExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no-stream') return NO_STREAM;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new TypeError(`expected must be 'no-stream' or a revision >= 0n, got ${describe(expected)}`);
}

/**
 * The stream's actual head as the client reports it (in WrongExpectedVersionError.actualVersion or
 * a failed AppendResult): `no_stream`, or -1 in the client's non-throwing mode, mean no stream.
 */
export function fromClientCurrent(current: unknown): ExpectedRevision {
  if (current === NO_STREAM) return 'no-stream';
  const revision = toBigInt(current, 'actual revision');
  return revision < 0n ? 'no-stream' : revision;
}

/**
 * Where a read or subscription on $all starts for a consumer that has seen everything up to
 * `after`. Reads include their start position and subscriptions may too, so consumers still skip
 * positions <= after. Commit and prepare positions are equal for every event not written in an
 * explicit transaction, which this adapter never uses.
 */
export function fromPositionAfter(after: bigint): ReadPosition {
  return after <= 0n ? START : { commit: after, prepare: after };
}

/** The end of $all, for backward reads. */
export const END_OF_ALL: ReadPosition = END;

/** Strict order of raw $all positions, commit first: the cursor of paged reads. */
export function comparePositions(a: Position, b: Position): number {
  const commit = toBigInt(a.commit, 'position.commit') - toBigInt(b.commit, 'position.commit');
  if (commit !== 0n) return commit < 0n ? -1 : 1;
  const prepare = toBigInt(a.prepare, 'position.prepare') - toBigInt(b.prepare, 'position.prepare');
  return prepare === 0n ? 0 : prepare < 0n ? -1 : 1;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
