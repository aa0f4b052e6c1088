import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent, RecordedEvent } from '../../src/store/port.js';
import { createSqliteStore, type SqliteStoreExtension } from '../../src/store/sqlite.js';

const newEvent = (note: string): NewEvent => ({ eventId: randomUUID(), type: 'Noted', data: { note } });

/** Keeps a count of events per stream in a table of the ledger file, as a persisted read model would. */
function countingExtension(options: { failOn?: string } = {}): SqliteStoreExtension & { seen: RecordedEvent[] } {
  let db: Database.Database;
  const seen: RecordedEvent[] = [];
  return {
    name: 'counts',
    seen,
    attach(opened) {
      db = opened;
      db.exec('CREATE TABLE IF NOT EXISTS counts (stream TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    },
    onCommit(events) {
      for (const event of events) {
        if (event.data.note === options.failOn) throw new Error('derived data refused');
        db.prepare('INSERT INTO counts VALUES (?, 1) ON CONFLICT(stream) DO UPDATE SET n = n + 1').run(event.stream);
        seen.push(event);
      }
    },
  };
}

describe('sqlite store extensions (derived data written in the append transaction)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custody-ledger-ext-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sees each stored event once, with its position and revision, and not the events of a refused request', async () => {
    const extension = countingExtension();
    const store = createSqliteStore({ path: join(dir, 'events.db'), extensions: [extension] });
    const outcomes = await Promise.allSettled([
      store.append({ stream: 'a', expected: 'no-stream', events: [newEvent('1'), newEvent('2')] }),
      store.append({ stream: 'a', expected: 'no-stream', events: [newEvent('refused')] }),
      store.append({ stream: 'b', expected: 'no-stream', events: [newEvent('3')] }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await store.readAll();
    expect(extension.seen).toEqual(stored);
    await store.close();
  });

  it('rolls the whole commit back when the extension throws: no event without its derived data', async () => {
    const path = join(dir, 'events.db');
    const store = createSqliteStore({ path, extensions: [countingExtension({ failOn: 'bad' })] });
    await store.append({ stream: 'a', expected: 'no-stream', events: [newEvent('ok')] });
    const outcomes = await Promise.allSettled([
      store.append({ stream: 'b', expected: 'no-stream', events: [newEvent('fine')] }),
      store.append({ stream: 'c', expected: 'no-stream', events: [newEvent('bad')] }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect((await store.readAll()).map((event) => event.stream)).toEqual(['a']);
    await store.close();

    const reopened = countingExtension();
    const again = createSqliteStore({ path, extensions: [reopened] });
    await again.append({ stream: 'b', expected: 'no-stream', events: [newEvent('later')] });
    expect((await again.readAll()).map((event) => event.stream)).toEqual(['a', 'b']);
    await again.close();
  });
});
