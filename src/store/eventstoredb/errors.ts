/**
 * The client's errors in our terms. Recognised by class and, for errors that crossed a module
 * boundary (two copies of the client, a fake), by the client's `type` code as well.
 */
import { ErrorType, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { ConcurrencyError, StoreIntegrityError, type ExpectedRevision } from '../port.js';
import { fromClientCurrent } from './mapping.js';

const typeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined);

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError || typeOf(error) === ErrorType.WRONG_EXPECTED_VERSION;
}

/** Reading a stream that has no events: thrown while iterating, not when the read is created. */
export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError || typeOf(error) === ErrorType.STREAM_NOT_FOUND;
}

/** The head the server reported in a WrongExpectedVersionError ('no-stream' when there is no stream). */
export function actualRevisionOf(error: WrongExpectedVersionError): ExpectedRevision {
  return fromClientCurrent(error.actualVersion);
}

/** WrongExpectedVersionError as our ConcurrencyError, naming our expectation and the server's actual head. */
export function toConcurrencyError(stream: string, expected: ExpectedRevision, error: WrongExpectedVersionError): ConcurrencyError {
  return new ConcurrencyError(stream, expected, actualRevisionOf(error));
}

/**
 * A batch whose fan-out met a foreign write after some of its streams were written: R-BATCH-1 could
 * not be kept. It is recorded in the batch's stream (outcome 'partial') for an operator to resolve;
 * callers must not retry it as if it were a plain conflict.
 */
export class BatchPartiallyAppliedError extends StoreIntegrityError {
  constructor(
    readonly batchId: string,
    readonly written: string[],
    readonly conflict: ConcurrencyError,
  ) {
    super(
      `batch ${batchId} was only partly applied: ${written.join(', ')} written, then ${conflict.stream} had moved ` +
        `(expected ${String(conflict.expected)}, found ${String(conflict.actual)}); recorded in the batch stream for an operator`,
    );
  }
}
