/**
 * What every adapter checks the same way before it stores anything: the shape of append requests,
 * that data round-trips through JSON, and whether an append is the retry of one already stored.
 */
import { StoreIntegrityError, type AppendRequest, type AppendResult, type JsonValue } from './port.js';

export type PreparedEvent = { eventId: string; type: string; data: string; metadata: string };
export type PreparedRequest = { stream: string; expected: AppendRequest['expected']; events: PreparedEvent[] };
/** The part of a stored event a retry is compared with. */
export type StoredRow = { stream: string; revision: bigint; position: bigint; type: string; data: string };

/** Every event id already stored: a retry of an append that succeeded, if it is the same events. */
export function confirmRetry(request: PreparedRequest, stored: Array<StoredRow | undefined>): AppendResult {
  let previous: StoredRow | undefined;
  request.events.forEach((event, i) => {
    const row = stored[i];
    if (row === undefined) {
      throw new StoreIntegrityError(`append to ${request.stream} mixes stored and new event ids: a retry must repeat the original request`);
    }
    if (row.stream !== request.stream) {
      throw new StoreIntegrityError(`event id ${event.eventId} is already stored in stream ${row.stream}, not ${request.stream}`);
    }
    if (row.type !== event.type || !sameJson(row.data, event.data)) {
      throw new StoreIntegrityError(`event id ${event.eventId} is already stored in ${row.stream} with a different type or data`);
    }
    if (previous && row.revision !== previous.revision + 1n) {
      throw new StoreIntegrityError(`append to ${request.stream} repeats stored event ids in a different order`);
    }
    previous = row;
  });
  return { nextExpectedRevision: previous!.revision, position: previous!.position };
}

/** Validates requests and serialises their data now, so later changes by the caller cannot alter what is stored. */
export function prepareRequests(requests: AppendRequest[]): PreparedRequest[] {
  if (!Array.isArray(requests) || requests.length === 0) throw new StoreIntegrityError('appendMany needs at least one request');
  const seen = new Set<string>();
  return requests.map(({ stream, expected, events }) => {
    if (typeof stream !== 'string' || stream === '') throw new StoreIntegrityError('stream must be a non-empty string');
    if (expected !== 'no-stream' && !(typeof expected === 'bigint' && expected >= 0n)) {
      throw new StoreIntegrityError(`append to ${stream}: expected must be 'no-stream' or a revision >= 0n`);
    }
    if (!Array.isArray(events) || events.length === 0) throw new StoreIntegrityError(`append to ${stream} has no events`);
    return {
      stream,
      expected,
      events: events.map(({ eventId, type, data, metadata }) => {
        if (typeof eventId !== 'string' || eventId === '') throw new StoreIntegrityError(`append to ${stream}: eventId must be a non-empty string`);
        if (seen.has(eventId)) throw new StoreIntegrityError(`event id ${eventId} appears twice in one append`);
        seen.add(eventId);
        if (typeof type !== 'string' || type === '') throw new StoreIntegrityError(`event ${eventId}: type must be a non-empty string`);
        return { eventId, type, data: jsonObjectText(data, `event ${eventId} data`), metadata: jsonObjectText(metadata ?? {}, `event ${eventId} metadata`) };
      }),
    };
  });
}

/** Refuses what JSON would silently change (undefined, NaN, Date, bigint, Map...): data must round-trip exactly. */
export function jsonObjectText(value: unknown, where: string): string {
  if (!isPlainObject(value)) throw new StoreIntegrityError(`${where} must be a JSON object`);
  const offending = firstNonJson(value, new Set());
  if (offending !== undefined) {
    throw new StoreIntegrityError(`${where}${offending} is not JSON and would not round-trip (big integers and dates go in as strings)`);
  }
  return JSON.stringify(value);
}

/** The path of the first value JSON would change, or undefined; built only on the way out of a failure. */
function firstNonJson(value: unknown, ancestors: Set<object>): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return undefined;
  if (typeof value === 'object' && !ancestors.has(value) && (Array.isArray(value) || isPlainObject(value))) {
    ancestors.add(value);
    try {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const below = firstNonJson(value[i], ancestors);
          if (below !== undefined) return `[${i}]${below}`;
        }
      } else {
        for (const key in value) {
          const below = firstNonJson(value[key], ancestors);
          if (below !== undefined) return `.${key}${below}`;
        }
      }
      return undefined;
    } finally {
      ancestors.delete(value);
    }
  }
  return '';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Key order is not meaning: a retry that rebuilt its object in another order is the same event. */
function sameJson(a: string, b: string): boolean {
  return a === b || sortedJson(JSON.parse(a) as JsonValue) === sortedJson(JSON.parse(b) as JsonValue);
}

/** Sorted keys, JSON.stringify leaves: enough to compare two JSON values, not a signing format. */
export function sortedJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(value[key]!)}`).join(',')}}`;
}

/** A readAll limit as the adapters take it. */
export function checkedLimit(limit: number | undefined): number {
  if (limit === undefined) return -1; // -1: no limit, as SQLite reads it
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`readAll limit must be a non-negative integer, got ${limit}`);
  return limit;
}
