import type { EventStore, RecordedEvent } from '../../store/port.js';
import { hashFromHex, leafHash } from '../merkle/hash.js';
import { createMerkleTree } from '../merkle/tree.js';
import { createHeadsTree } from './heads.js';
import { isTreeStream } from './stream.js';

const PAGE = 5_000;

/** The store holds an event the log cannot hash: it was written around the ledger, or edited. */
export class UnhashedEvent extends Error {
  override readonly name = 'UnhashedEvent';
  constructor(readonly position: bigint, readonly stream: string) {
    super(`the event at position ${position} in ${stream} has no event hash in its metadata`);
  }
}

/**
 * The ledger's log as the checkpointer sees it: the Merkle tree over every event's hash in global
 * order, the stream-heads tree, and which store position each leaf is. It follows the store by
 * reading what was appended since the last `sync`. The store is the ledger's own here (as for the
 * write model), so the stored event hash is used; verifiers recompute it.
 */
export type LedgerLog = ReturnType<typeof createLedgerLog>;

export function createLedgerLog(store: EventStore) {
  const tree = createMerkleTree();
  const heads = createHeadsTree();
  let positions = new Float64Array(1024);
  let after = 0n;
  let refused = false;

  function add(event: RecordedEvent): void {
    if (!isTreeStream(event.stream)) return;
    const hash = event.metadata['hash'];
    const bytes = hashFromHex(hash);
    if (!bytes || typeof hash !== 'string') throw new UnhashedEvent(event.position, event.stream);
    const index = tree.append(leafHash(bytes));
    if (index >= positions.length) {
      const grown = new Float64Array(positions.length * 2);
      grown.set(positions);
      positions = grown;
    }
    positions[index] = Number(event.position);
    heads.update({ stream: event.stream, revision: Number(event.revision), hash });
  }

  return {
    tree,
    heads,

    /** Reads every event appended since the last sync; returns the tree size. */
    async sync(): Promise<number> {
      for (let page = await store.readAll({ after, limit: PAGE }); page.length > 0; page = await store.readAll({ after, limit: PAGE })) {
        for (const event of page) {
          add(event);
          after = event.position;
        }
      }
      return tree.size();
    },

    /**
     * Takes an event read elsewhere (the server's one read of the log at start), if it is the next
     * one, so the first sync reads only what follows. One it cannot hash stops the intake: `sync`
     * then reaches that event itself and reports it, as it would have without this.
     */
    ingest(event: RecordedEvent): void {
      if (refused || event.position <= after) return;
      try {
        add(event);
        after = event.position;
      } catch {
        refused = true;
      }
    },

    /** The leaf index of the event at store `position`, if it is a leaf. */
    leafIndexOf(position: bigint | number): number | undefined {
      const target = Number(position);
      let low = 0;
      let high = tree.size() - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const found = positions[middle]!;
        if (found === target) return middle;
        if (found < target) low = middle + 1;
        else high = middle - 1;
      }
      return undefined;
    },

    /** The store position of leaf `index`. */
    positionOf(index: number): number | undefined {
      return index >= 0 && index < tree.size() ? positions[index] : undefined;
    },
  };
}

/**
 * The heads tree as it was when the log had `size` leaves, rebuilt by reading the store from the
 * start: for proofs against a checkpoint older than the one the checkpointer keeps at hand.
 */
export async function headsTreeAt(store: EventStore, size: number) {
  const heads = createHeadsTree();
  let leaves = 0;
  let after = 0n;
  while (leaves < size) {
    const page = await store.readAll({ after, limit: PAGE });
    if (page.length === 0) break;
    for (const event of page) {
      after = event.position;
      if (!isTreeStream(event.stream)) continue;
      if (leaves === size) break;
      const hash = event.metadata['hash'];
      if (typeof hash !== 'string') throw new UnhashedEvent(event.position, event.stream);
      heads.update({ stream: event.stream, revision: Number(event.revision), hash });
      leaves++;
    }
  }
  return heads;
}
