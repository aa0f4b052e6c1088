/**
 * What the EventStoreDB adapter decides by itself, without a server: number normalisation,
 * revision and position mapping, error translation, event (de)serialisation, the stream filter and
 * request checks. Batches, claims and subscriptions have their own files.
 */
import { randomUUID } from 'node:crypto';
import { NO_STREAM, START, StreamNotFoundError, WrongExpectedVersionError, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { actualRevisionOf, isStreamNotFound, isWrongExpectedVersion, toConcurrencyError } from '../../src/store/eventstoredb/errors.js';
import {
  comparePositions,
  fromClientCurrent,
  fromPositionAfter,
  toBigInt,
  toClientExpected,
  toPosition,
  toRevision,
} from '../../src/store/eventstoredb/mapping.js';
import { digestOf, prepareRequests } from '../../src/store/eventstoredb/requests.js';
import { fromResolved, toEventData } from '../../src/store/eventstoredb/serde.js';
import { assertAppendableStream, batchIdOf, batchStreamOf, claimStreamOf, isPortStream, portStreamFilter } from '../../src/store/eventstoredb/streams.js';
import { ConcurrencyError, StoreIntegrityError, type ExpectedRevision } from '../../src/store/port.js';

const wrongVersion = (expected: bigint | typeof NO_STREAM, current: unknown) =>
  new WrongExpectedVersionError(undefined, { streamName: 'carrier-1', expected, current: current as bigint });

function resolved(overrides: Record<string, unknown> = {}, resolvedOverrides: Record<string, unknown> = {}): AllStreamResolvedEvent {
  const event = {
    streamId: 'carrier-1',
    id: 'b2c7a3a0-0000-4000-8000-000000000001',
    isJson: true,
    revision: 3n,
    type: 'CarrierRegistered',
    created: new Date(0),
    data: { note: 'x' },
    metadata: { actId: 'a' },
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  };
  return { event, ...resolvedOverrides } as unknown as AllStreamResolvedEvent;
}

describe('bigint normalisation', () => {
  it('passes bigints through and converts safe integers and decimal strings exactly', () => {
    expect(toBigInt(7n, 'x')).toBe(7n);
    expect(toBigInt(7, 'x')).toBe(7n);
    expect(toBigInt(Number.MAX_SAFE_INTEGER, 'x')).toBe(9007199254740991n);
    expect(toBigInt('18446744073709551615', 'x')).toBe(18446744073709551615n);
  });

  it('refuses a number that already lost precision, naming the field', () => {
    expect(() => toBigInt(2 ** 53 + 2, 'position.commit')).toThrow(/position\.commit is 9007199254740994, not an exact integer/);
    expect(() => toBigInt(1.5, 'revision')).toThrow(RangeError);
    expect(() => toBigInt(Number.NaN, 'revision')).toThrow(RangeError);
  });

  it('refuses values that are not integers at all', () => {
    for (const value of [undefined, null, '12a', '', {}, true]) expect(() => toBigInt(value, 'revision')).toThrow(TypeError);
  });

  it('keeps revisions and positions non-negative', () => {
    expect(toRevision(0)).toBe(0n);
    expect(() => toRevision(-1n)).toThrow(/revision must be >= 0/);
    expect(toPosition({ commit: 12 as unknown as bigint })).toBe(12n);
    expect(() => toPosition(undefined)).toThrow(/22\.6 or newer/);
    expect(() => toPosition({ commit: -5n })).toThrow(RangeError);
  });
});

describe('revision and position mapping', () => {
  it("maps our expectations to the client's, never ANY", () => {
    expect(toClientExpected('no-stream')).toBe(NO_STREAM);
    expect(toClientExpected(0n)).toBe(0n);
    expect(toClientExpected(41n)).toBe(41n);
    for (const bad of [-1n, 'any', undefined, 3]) expect(() => toClientExpected(bad as ExpectedRevision)).toThrow(TypeError);
  });

  it("maps the server's actual head back: no_stream and -1 are 'no-stream', numbers become bigints", () => {
    expect(fromClientCurrent(NO_STREAM)).toBe('no-stream');
    expect(fromClientCurrent(-1n)).toBe('no-stream');
    expect(fromClientCurrent(5)).toBe(5n);
    expect(fromClientCurrent(5n)).toBe(5n);
  });

  it('starts reads and subscriptions at the start for 0n, else at the given commit position', () => {
    expect(fromPositionAfter(0n)).toBe(START);
    expect(fromPositionAfter(-3n)).toBe(START);
    expect(fromPositionAfter(900n)).toEqual({ commit: 900n, prepare: 900n });
  });

  it('orders raw positions by commit, then prepare, whatever numeric form they arrive in', () => {
    expect(comparePositions({ commit: 10n, prepare: 10n }, { commit: 11 as unknown as bigint, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 10n, prepare: 12n }, { commit: 10n, prepare: 11n })).toBe(1);
    expect(comparePositions({ commit: 10n, prepare: 10n }, { commit: 10n, prepare: 10n })).toBe(0);
  });
});

describe('error translation', () => {
  it('turns WrongExpectedVersionError into ConcurrencyError with our expectation and the actual head', () => {
    const error = toConcurrencyError('carrier-1', 2n, wrongVersion(2n, 5n));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ stream: 'carrier-1', expected: 2n, actual: 5n });
  });

  it("reports actual 'no-stream' when the stream does not exist, and normalises a number actual", () => {
    expect(toConcurrencyError('carrier-1', 0n, wrongVersion(0n, NO_STREAM))).toMatchObject({ expected: 0n, actual: 'no-stream' });
    expect(actualRevisionOf(wrongVersion(NO_STREAM, 3))).toBe(3n);
  });

  it("recognises the client's errors by class and by their type code", () => {
    expect(isWrongExpectedVersion(wrongVersion(1n, 2n))).toBe(true);
    expect(isWrongExpectedVersion({ type: 'wrong-expected-version' })).toBe(true);
    expect(isWrongExpectedVersion(new Error('wrong expected version'))).toBe(false);
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'carrier-1'))).toBe(true);
    expect(isStreamNotFound({ type: 'stream-not-found' })).toBe(true);
    expect(isStreamNotFound(wrongVersion(1n, 2n))).toBe(false);
  });
});

describe('event (de)serialisation', () => {
  it('sends JSON data and metadata with the id as given and the JSON content type', () => {
    const [request] = prepareRequests([
      { stream: 'carrier-1', expected: 'no-stream', events: [{ eventId: 'b2c7a3a0-0000-4000-8000-000000000001', type: 'T', data: { b: 1, a: [2] } }] },
    ]);
    expect(toEventData(request!.events[0]!)).toEqual({
      id: 'b2c7a3a0-0000-4000-8000-000000000001',
      contentType: 'application/json',
      type: 'T',
      data: { b: 1, a: [2] },
      metadata: {},
    });
  });

  it('reads an event back with bigint revision and commit position, and {} for absent metadata', () => {
    expect(fromResolved(resolved({ revision: 3, position: { commit: 4242, prepare: 4242 }, metadata: undefined }))).toEqual({
      eventId: 'b2c7a3a0-0000-4000-8000-000000000001',
      stream: 'carrier-1',
      revision: 3n,
      position: 4242n,
      type: 'CarrierRegistered',
      data: { note: 'x' },
      metadata: {},
    });
  });

  it('takes the resolved commit position when the event carries none', () => {
    expect(fromResolved(resolved({ position: undefined }, { commitPosition: 77n })).position).toBe(77n);
  });

  it('refuses events this store did not write: binary, non-object data or metadata, missing event', () => {
    expect(() => fromResolved(resolved({ isJson: false, data: new Uint8Array([1]) }))).toThrow(/is not JSON/);
    expect(() => fromResolved(resolved({ data: 'text' }))).toThrow(/data that is not a JSON object/);
    expect(() => fromResolved(resolved({ metadata: new Uint8Array([1]) }))).toThrow(/metadata that is not a JSON object/);
    expect(() => fromResolved({} as AllStreamResolvedEvent)).toThrow(StoreIntegrityError);
  });
});

describe('the stream filter', () => {
  it('shows carrier-, person- and ledger- streams and nothing else', () => {
    for (const stream of ['carrier-1', 'person-x', 'ledger-checkpoints']) expect(isPortStream(stream)).toBe(true);
    for (const stream of ['$stats-127.0.0.1:2113', '$$carrier-1', '$ce-carrier', claimStreamOf(randomUUID()), batchStreamOf('b'), 'Carrier-1', 'other']) {
      expect(isPortStream(stream)).toBe(false);
    }
  });

  it('subscribes with a server-side stream-name prefix filter of exactly those prefixes', () => {
    expect(portStreamFilter()).toMatchObject({ filterOn: 'streamName', prefixes: ['carrier-', 'person-', 'ledger-'] });
  });

  it('refuses appends to streams the port would never read back', () => {
    expect(() => assertAppendableStream('store-batch-x')).toThrow(/carrier-, person-, ledger-/);
    expect(() => assertAppendableStream('$settings')).toThrow(StoreIntegrityError);
    expect(() => assertAppendableStream('carrier-1')).not.toThrow();
  });

  it('names the internal streams so that batch ids can be recovered from them', () => {
    expect(batchIdOf(batchStreamOf('abc'))).toBe('abc');
    expect(batchIdOf('carrier-abc')).toBeUndefined();
  });
});

describe('request checks', () => {
  const event = (eventId: string = randomUUID()) => ({ eventId, type: 'T', data: { n: 1 } });

  it('refuses event ids that are not lowercase UUIDs, naming the stream and the id', () => {
    for (const eventId of ['e-1', randomUUID().toUpperCase()]) {
      expect(() => prepareRequests([{ stream: 'carrier-1', expected: 'no-stream', events: [event(eventId)] }])).toThrow(/carrier-1: eventId must be a lowercase UUID/);
    }
    expect(() => prepareRequests([{ stream: 'carrier-1', expected: 'no-stream', events: [event('')] }])).toThrow(/carrier-1: eventId must be a non-empty string/);
  });

  it('refuses one stream named twice in a batch', () => {
    const requests = [
      { stream: 'carrier-1', expected: 'no-stream' as const, events: [event()] },
      { stream: 'carrier-1', expected: 0n, events: [event()] },
    ];
    expect(() => prepareRequests(requests)).toThrow(/names stream carrier-1 twice/);
  });

  it('binds an id to the data regardless of key order', () => {
    expect(digestOf(JSON.stringify({ a: 1, b: { c: 2, d: 3 } }))).toBe(digestOf(JSON.stringify({ b: { d: 3, c: 2 }, a: 1 })));
    expect(digestOf(JSON.stringify({ a: 1 }))).not.toBe(digestOf(JSON.stringify({ a: 2 })));
  });
});
