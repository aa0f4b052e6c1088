import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { IsoTime } from '../domain/primitives.js';
import type { ReadLog, ReadOutcome } from '../audit/read-log.js';
import type { AppEnv } from './deps.js';

/**
 * Reads are audited too (issue #18): every GET that shows (or refuses to show) carriers, a person's
 * holdings, a location or a report is recorded here, in one place, after its answer is decided: the
 * status says whether the reader was shown it, told "not found" (a hidden carrier is answered alike,
 * and recorded alike) or refused. Other routes (health, checkpoints, proofs, own inbox) are not reads
 * of a carrier and are not recorded.
 */

type Read = { kind: string; carriers: string[]; subject: string | null };
type Matcher = { pattern: RegExp; read: (id: string, query: URLSearchParams) => Read };

const one = (kind: string) => (id: string): Read => ({ kind, carriers: [id], subject: null });
const about = (kind: string) => (subject: string): Read => ({ kind, carriers: [], subject });
const queryText = (query: URLSearchParams) => (query.size === 0 ? null : query.toString());

const MATCHERS: readonly Matcher[] = [
  { pattern: /^\/carriers\/([^/]+)$/, read: one('carrier') },
  { pattern: /^\/carriers\/([^/]+)\/history$/, read: one('history') },
  { pattern: /^\/carriers\/([^/]+)\/where$/, read: (id, q) => ({ ...one(q.has('at') || q.has('knownAt') ? 'where-at' : 'where')(id), subject: queryText(q) }) },
  { pattern: /^\/carriers\/([^/]+)\/access$/, read: one('access') },
  { pattern: /^\/carriers\/([^/]+)\/lineage$/, read: one('lineage') },
  { pattern: /^\/carriers\/([^/]+)\/trace$/, read: one('trace') },
  { pattern: /^\/carriers\/([^/]+)\/bundle$/, read: one('bundle') },
  { pattern: /^\/persons\/([^/]+)\/holdings$/, read: about('holdings') },
  { pattern: /^\/persons\/([^/]+)\/holdings-at$/, read: (id, q) => ({ kind: 'holdings-at', carriers: [], subject: `${id} ${queryText(q) ?? ''}`.trim() }) },
  { pattern: /^\/locations\/([^/]+)\/carriers$/, read: about('location') },
  { pattern: /^\/carriers$/, read: (_, q) => ({ kind: 'carriers-list', carriers: [], subject: queryText(q) }) },
  { pattern: /^\/bundle$/, read: () => ({ kind: 'ledger-bundle', carriers: [], subject: null }) },
  { pattern: /^\/alerts$/, read: (_, q) => ({ kind: 'alerts', carriers: q.get('carrierId') ? [q.get('carrierId')!] : [], subject: queryText(q) }) },
  {
    pattern: /^\/incidents$/,
    read: (_, q) => ({ kind: 'incident', carriers: (q.get('carriers') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''), subject: queryText(q) }),
  },
  { pattern: /^\/audit\/reads$/, read: (_, q) => ({ kind: 'read-log', carriers: q.get('carrier') ? [q.get('carrier')!] : [], subject: queryText(q) }) },
];

/** The read a GET path is, if it is one. */
export function readOf(path: string, query: URLSearchParams): Read | undefined {
  for (const { pattern, read } of MATCHERS) {
    const match = pattern.exec(path);
    if (!match) continue;
    let id = match[1] ?? '';
    try {
      id = decodeURIComponent(id);
    } catch {
      // A malformed escape is answered 400 by the route; the log keeps the raw text.
    }
    return read(id, query);
  }
  return undefined;
}

const outcomeOf = (status: number): ReadOutcome | undefined =>
  status < 300 ? 'shown' : status === 404 ? 'not-found-or-hidden' : status === 403 ? 'refused' : undefined;

/** A caller's own request id when it is a plain token; otherwise one made here. Echoed as X-Request-Id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Records each read after its answer; runs after authentication, so the reader is known. */
export function recordReads(readLog: ReadLog, clock: () => IsoTime): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const viewer = c.get('viewer');
    const path = c.req.path;
    if (!viewer || !MATCHERS.some((m) => m.pattern.test(path))) return next();
    // From the Node request when at hand: building fetch Headers costs more than a carrier read (see app.ts).
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const given = incoming ? incoming.headers['x-request-id'] : c.req.header('x-request-id');
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    await next();
    c.header('x-request-id', requestId);
    const outcome = outcomeOf(c.res.status);
    // A malformed request (400) or a server fault showed nothing about any carrier.
    if (outcome === undefined) return;
    const read = readOf(path, new URL(c.req.url).searchParams);
    if (read) readLog.record({ time: clock(), personId: viewer.id, ...read, outcome, requestId });
  };
}
