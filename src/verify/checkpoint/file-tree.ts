import Database from 'better-sqlite3';
import { hashFromHex, HASH_BYTES, leafHash } from '../merkle/hash.js';
import { createMerkleTree, type MerkleTree } from '../merkle/tree.js';
import { isTreeStream } from './stream-name.js';

/**
 * The Merkle tree over a SQLite ledger file's events as stored (each event's stored hash, in global
 * order), read-only: for comparing the file with checkpoints a reader kept (`custody verify --ledger
 * --known`). Whether each stored hash is right is `verifyLedgerFile`'s check; an event without one
 * still takes its place (a zero leaf), so the roots after it differ, as they should.
 */
export function treeOfLedgerFile(path: string): MerkleTree {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tree = createMerkleTree();
    const rows = db.prepare('SELECT stream, metadata FROM events ORDER BY position').raw(true).iterate() as IterableIterator<[string, string]>;
    for (const [stream, metadata] of rows) {
      if (!isTreeStream(stream)) continue;
      let hash: Uint8Array | undefined;
      try {
        hash = hashFromHex((JSON.parse(metadata) as { hash?: unknown }).hash);
      } catch {
        hash = undefined;
      }
      tree.append(leafHash(hash ?? new Uint8Array(HASH_BYTES)));
    }
    return tree;
  } finally {
    db.close();
  }
}
