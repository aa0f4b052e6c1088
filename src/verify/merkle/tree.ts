import { EMPTY_ROOT, HASH_BYTES, nodeHash, pairHashInto, splitPoint } from './hash.js';

/**
 * A Merkle tree (RFC 9162 §2.1) that keeps every complete subtree's hash, level by level: level 0
 * holds the leaf hashes, level k the hashes of aligned runs of 2^k leaves. Appending a leaf costs
 * one hash per level it completes (two on average); the root of any earlier size, and inclusion and
 * consistency proofs, are read from complete subtrees with O(log n) hashing. 1M leaves take ~64 MB.
 *
 * Leaves can also be replaced (`set`): the stream-heads tree changes a stream's leaf each time the
 * stream grows. Replaced leaves only mark their ancestors stale; the next read recomputes the stale
 * ones once, however many leaves changed in between.
 */
export type MerkleTree = ReturnType<typeof createMerkleTree>;

type Level = { bytes: Buffer; count: number };

export function createMerkleTree() {
  const levels: Level[] = [];
  /** Leaf indexes replaced since the last refresh: their ancestors are stale. */
  let stale = new Set<number>();

  const level = (k: number): Level => {
    let found = levels[k];
    if (!found) {
      found = { bytes: Buffer.alloc(HASH_BYTES * 1024), count: 0 };
      levels[k] = found;
    }
    return found;
  };

  const read = (k: number, index: number): Uint8Array => {
    const { bytes } = levels[k]!;
    return bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  };

  /** Level k's bytes, grown to hold node `index`, which now counts as written. */
  const slot = (k: number, index: number): Buffer => {
    const target = level(k);
    if ((index + 1) * HASH_BYTES > target.bytes.length) {
      const grown = Buffer.alloc(Math.max(target.bytes.length * 2, (index + 1) * HASH_BYTES));
      target.bytes.copy(grown, 0, 0, target.count * HASH_BYTES);
      target.bytes = grown;
    }
    if (index >= target.count) target.count = index + 1;
    return target.bytes;
  };

  const write = (k: number, index: number, hash: Uint8Array): void => {
    slot(k, index).set(hash, index * HASH_BYTES);
  };

  /** Node `index` of level k + 1, hashed from its two children (adjacent in level k) straight into place. */
  const writeParent = (k: number, index: number): void => {
    const target = slot(k + 1, index);
    pairHashInto(levels[k]!.bytes, 2 * index * HASH_BYTES, target, index * HASH_BYTES);
  };

  const size = (): number => levels[0]?.count ?? 0;

  /** Recomputes the ancestors of replaced leaves, level by level, each stale node once. */
  const refresh = (): void => {
    if (stale.size === 0) return;
    let dirty = stale;
    stale = new Set();
    for (let k = 0; dirty.size > 0 && levels[k + 1]; k++) {
      const parents = new Set<number>();
      const complete = levels[k + 1]!.count;
      for (const index of dirty) {
        const parent = index >> 1;
        if (parent < complete) parents.add(parent);
      }
      for (const parent of parents) writeParent(k, parent);
      dirty = parents;
    }
  };

  /** Hash of leaves [start, end); `start` is always aligned to the largest power of two in the range. */
  const rangeHash = (start: number, end: number): Uint8Array => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if ((n & (n - 1)) === 0 && start % n === 0) return read(Math.log2(n), start / n);
    const k = splitPoint(n);
    return nodeHash(rangeHash(start, start + k), rangeHash(start + k, end));
  };

  const requireSize = (treeSize: number, what: string): void => {
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > size()) {
      throw new RangeError(`${what}: tree size ${treeSize} is outside 0..${size()}`);
    }
  };

  /** RFC 9162 §2.1.3.1 PATH(m, D[start:end]). */
  const path = (m: number, start: number, end: number): Uint8Array[] => {
    const n = end - start;
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), rangeHash(start + k, end)]
      : [...path(m - k, start + k, end), rangeHash(start, start + k)];
  };

  /** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b). */
  const subproof = (m: number, start: number, end: number, whole: boolean): Uint8Array[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [rangeHash(start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, start + k, whole), rangeHash(start + k, end)]
      : [...subproof(m - k, start + k, end, false), rangeHash(start, start + k)];
  };

  return {
    size,

    /** Adds a leaf hash (already `leafHash(data)`) and returns its index. */
    append(leaf: Uint8Array): number {
      if (leaf.length !== HASH_BYTES) throw new RangeError(`a leaf hash is ${HASH_BYTES} bytes, got ${leaf.length}`);
      refresh();
      const index = size();
      write(0, index, leaf);
      // Each odd index completes a pair: hash it into the level above, and carry on upwards.
      for (let k = 0, i = index; i % 2 === 1; k++, i >>= 1) writeParent(k, i >> 1);
      return index;
    },

    /** Adds leaf hashes laid end to end (32 bytes each), as `append` would one by one, level by level. */
    appendAll(leaves: Uint8Array): void {
      if (leaves.length % HASH_BYTES !== 0) throw new RangeError(`leaf hashes are ${HASH_BYTES} bytes each, got ${leaves.length} bytes`);
      if (leaves.length === 0) return;
      refresh();
      let from = size();
      let to = from + leaves.length / HASH_BYTES;
      slot(0, to - 1).set(leaves, from * HASH_BYTES);
      // Nodes [from, to) of level k are new: they complete the parents [from/2, to/2) of level k + 1.
      for (let k = 0; (from >> 1) < (to >> 1); k++) {
        from >>= 1;
        to >>= 1;
        for (let parent = from; parent < to; parent++) writeParent(k, parent);
      }
    },

    /** Replaces leaf `index` (which must exist); ancestors are recomputed lazily. */
    set(index: number, leaf: Uint8Array): void {
      if (!Number.isSafeInteger(index) || index < 0 || index >= size()) throw new RangeError(`no leaf ${index}`);
      if (leaf.length !== HASH_BYTES) throw new RangeError(`a leaf hash is ${HASH_BYTES} bytes, got ${leaf.length}`);
      write(0, index, leaf);
      stale.add(index);
    },

    leaf(index: number): Uint8Array {
      if (!Number.isSafeInteger(index) || index < 0 || index >= size()) throw new RangeError(`no leaf ${index}`);
      return Uint8Array.from(read(0, index));
    },

    /** The root of the first `treeSize` leaves (default: all of them). */
    root(treeSize: number = size()): Uint8Array {
      requireSize(treeSize, 'root');
      refresh();
      return Uint8Array.from(rangeHash(0, treeSize));
    },

    /** The audit path proving leaf `index` is in the tree of `treeSize` leaves. */
    inclusionProof(index: number, treeSize: number = size()): Uint8Array[] {
      requireSize(treeSize, 'inclusion proof');
      if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
        throw new RangeError(`inclusion proof: leaf ${index} is not in a tree of ${treeSize}`);
      }
      refresh();
      return path(index, 0, treeSize).map((h) => Uint8Array.from(h));
    },

    /** The proof that the tree of `second` leaves extends the tree of `first` leaves. */
    consistencyProof(first: number, second: number = size()): Uint8Array[] {
      requireSize(second, 'consistency proof');
      if (!Number.isSafeInteger(first) || first < 0 || first > second) {
        throw new RangeError(`consistency proof: size ${first} is not within 0..${second}`);
      }
      refresh();
      if (first === 0 || first === second) return [];
      return subproof(first, 0, second, true).map((h) => Uint8Array.from(h));
    },
  };
}
