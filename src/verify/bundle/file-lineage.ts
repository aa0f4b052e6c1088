import Database from 'better-sqlite3';
import { carrierStream } from '../../domain/act.js';
import { createSharedTextReader } from '../../store/sqlite-shared-text.js';
import { issue, type Issue } from '../issues.js';

type Row = [position: number, stream: string, revision: number, type: string, data: string, sharedWith: number | null, head: number | null, tail: number | null];

/**
 * A whole ledger file, checked for the streams its copies name (issue 16 hole 7): a copy made of a
 * carrier whose stream is gone, or the parent of a copy whose stream is gone, is a `missing-stream`,
 * as the bundle verifier reports for a bundle. Reads only the copy events and the stream names.
 */
export function missingLineageStreams(path: string): Issue[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const shared = (db.pragma('user_version', { simple: true }) as number) >= 2;
    const columns = shared ? 'shared_with, shared_head, shared_tail' : 'NULL, NULL, NULL';
    const present = new Set(db.prepare('SELECT DISTINCT stream FROM events').pluck().all() as string[]);
    const textAt = db.prepare('SELECT data FROM events WHERE position = ?').pluck();
    const reader = createSharedTextReader((position) => textAt.get(position) as string | undefined);
    const rows = db
      .prepare(`SELECT position, stream, revision, type, data, ${columns} FROM events WHERE type IN ('CopiesMade', 'CopyRegistered') ORDER BY position`)
      .raw(true)
      .all() as Row[];
    const issues: Issue[] = [];
    const reported = new Set<string>();
    for (const [position, stream, revision, type, text, sharedWith, head, tail] of rows) {
      const data = eventData(reader.read(text, sharedWith, head, tail));
      if (!data) continue; // an unreadable event is the chain checks' finding
      const required =
        type === 'CopiesMade'
          ? (Array.isArray(data['copies']) ? data['copies'] : []).map((copy) => [String((copy as { carrierId?: unknown }).carrierId), `it is a copy made in ${stream}`] as const)
          : [[String(data['parentId']), `${stream} is a copy of it`] as const];
      for (const [carrier, why] of required) {
        const name = carrierStream(carrier);
        if (present.has(name) || reported.has(name)) continue;
        reported.add(name);
        issues.push(issue('missing-stream', `${name} is not in the ledger file, but ${why}`, { position, stream, revision }));
      }
    }
    return issues;
  } finally {
    db.close();
  }
}

/** The domain event's data inside a stored envelope ({ act, index, signatures }). */
function eventData(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const envelope = JSON.parse(text ?? '') as { act?: { events?: Array<{ data?: unknown }> }; index?: number };
    const data = envelope.act?.events?.[envelope.index ?? -1]?.data;
    return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
