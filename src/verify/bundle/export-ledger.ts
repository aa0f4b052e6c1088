import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { defaultPolicy } from '../../domain/policy/policy.js';
import { isTreeStream } from '../checkpoint/stream.js';
import { consistencyFor, historyFor, type ExportOptions } from './export-carrier.js';
import { BUNDLE_FORMAT, type BundleEvent, type LedgerBundleHeader } from './schema.js';

const PAGE = 2_000;

/**
 * Writes the whole-ledger bundle as JSON lines to `out`: a header (checkpoint, history), then every
 * event the checkpoint covers, in global order, one per line. Memory stays flat whatever the size:
 * events are read page by page and written with backpressure. Resolves with the number of events.
 */
export async function writeLedgerBundle(out: Writable, options: ExportOptions): Promise<{ events: number; size: number }> {
  const { store, checkpointer } = options;
  const clock = options.clock ?? (() => new Date().toISOString());
  const earlier = await checkpointer.all();
  // The checkpoint and the position of its last leaf are fixed under the checkpointer's lock; the
  // events are then streamed without holding it, so periodic checkpoints carry on meanwhile.
  const { header, lastPosition } = await checkpointer.withCheckpoint((signed, log) => {
    const size = signed.checkpoint.size;
    const head: LedgerBundleHeader = {
      format: BUNDLE_FORMAT,
      kind: 'ledger',
      ledgerId: checkpointer.ledgerId,
      exportedAt: clock(),
      policy: options.policyName ?? defaultPolicy.name,
      checkpoint: signed.note,
      history: historyFor(earlier, signed, log, options.history),
      ...consistencyFor(options.knownSizes, size, log),
      eventCount: size,
    };
    return { header: head, lastPosition: size === 0 ? 0 : log.positionOf(size - 1)! };
  });

  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write(JSON.stringify(header));
  let leafIndex = 0;
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, limit: PAGE });
    const inRange = page.filter((e) => Number(e.position) <= lastPosition);
    for (const e of inRange) {
      after = e.position;
      if (!isTreeStream(e.stream)) continue;
      const line: BundleEvent = {
        stream: e.stream,
        revision: Number(e.revision),
        position: Number(e.position),
        leafIndex: leafIndex++,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      };
      await write(JSON.stringify(line));
    }
    if (inRange.length < page.length || page.length === 0) break;
  }
  if (leafIndex !== header.eventCount) {
    throw new Error(`the store yielded ${leafIndex} events up to position ${lastPosition}, but the checkpoint covers ${header.eventCount}`);
  }
  return { events: leafIndex, size: header.eventCount };
}

/** Writes the whole-ledger bundle to a file, durably closed before resolving. */
export async function exportLedgerBundle(path: string, options: ExportOptions): Promise<{ events: number; size: number }> {
  const out = createWriteStream(path, { mode: 0o600 });
  try {
    const result = await writeLedgerBundle(out, options);
    out.end();
    await once(out, 'finish');
    return result;
  } catch (error) {
    out.destroy();
    throw error;
  }
}
