import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashFromBase64, hashToBase64, leafHash } from '../../src/verify/merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../../src/verify/merkle/proofs.js';
import { createMerkleTree } from '../../src/verify/merkle/tree.js';

//// A reference implementation, written straight from RFC 6962 §2.1 with nothing shared ////////

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};
const refLeaf = (d: Uint8Array) => sha(Uint8Array.of(0), d);
const refNode = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
const mth = (d: Uint8Array[]): Uint8Array =>
  d.length === 0 ? sha() : d.length === 1 ? refLeaf(d[0]!) : refNode(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const refPath = (m: number, d: Uint8Array[]): Uint8Array[] => {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...refPath(m, d.slice(0, s)), mth(d.slice(s))] : [...refPath(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const refSubproof = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...refSubproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...refSubproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** The RFC 6962 §2.1.3 example inputs, as certificate-transparency-go's merkle tests use them. */
const CT_DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** certificate-transparency-go merkle/logverifier inclusionProofs (leaf numbers there are 1-based). */
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
/** certificate-transparency-go merkle/logverifier consistencyProofs. */
const CT_CONSISTENCY = [
  { first: 1, second: 1, proof: [] as string[] },
  { first: 1, second: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { first: 6, second: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { first: 2, second: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

const treeOf = (data: Uint8Array[]) => {
  const tree = createMerkleTree();
  for (const d of data) tree.append(leafHash(d));
  return tree;
};

describe('the Merkle tree against RFC 6962 test vectors', () => {
  const tree = treeOf(CT_DATA);

  it('the empty tree\'s root is SHA-256 of nothing', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    expect(hex(createMerkleTree().root())).toBe(CT_ROOTS[0]);
  });

  it('the root of every size 0..8 matches the published roots and the reference implementation', () => {
    for (let n = 0; n <= 8; n++) {
      expect(hex(tree.root(n)), `size ${n}`).toBe(CT_ROOTS[n]);
      expect(hex(mth(CT_DATA.slice(0, n))), `reference, size ${n}`).toBe(CT_ROOTS[n]);
    }
  });

  it('inclusion proofs match the published paths and verify against the published roots', () => {
    for (const v of CT_INCLUSION) {
      expect(tree.inclusionProof(v.index, v.size).map(hex)).toEqual(v.proof);
      expect(refPath(v.index, CT_DATA.slice(0, v.size)).map(hex)).toEqual(v.proof);
      expect(verifyInclusion(v.index, v.size, leafHash(CT_DATA[v.index]!), v.proof.map(unhex), unhex(CT_ROOTS[v.size]!))).toBe(true);
    }
  });

  it('consistency proofs match the published paths and verify between the published roots', () => {
    for (const v of CT_CONSISTENCY) {
      expect(tree.consistencyProof(v.first, v.second).map(hex)).toEqual(v.proof);
      const roots = [unhex(CT_ROOTS[v.first]!), unhex(CT_ROOTS[v.second]!)] as const;
      expect(verifyConsistency(v.first, v.second, roots[0], roots[1], v.proof.map(unhex))).toBe(true);
    }
  });

  it('a single flipped bit, a wrong index or size, or a wrong root makes a published proof fail', () => {
    const v = CT_INCLUSION[1]!;
    const proof = v.proof.map(unhex);
    const leaf = leafHash(CT_DATA[v.index]!);
    const root = unhex(CT_ROOTS[8]!);
    const flipped = proof.map((p, i) => (i === 1 ? Uint8Array.from(p, (b, j) => (j === 0 ? b ^ 8 : b)) : p));
    expect(verifyInclusion(v.index, 8, leaf, flipped, root)).toBe(false);
    expect(verifyInclusion(v.index + 1, 8, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(v.index, 16, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(v.index, 8, leaf, proof, unhex(CT_ROOTS[7]!))).toBe(false);
    expect(verifyInclusion(v.index, 8, leaf, [...proof, root], root)).toBe(false);
    const c = CT_CONSISTENCY[2]!;
    const roots = [unhex(CT_ROOTS[6]!), unhex(CT_ROOTS[8]!)] as const;
    expect(verifyConsistency(6, 8, roots[1], roots[0], c.proof.map(unhex))).toBe(false);
    expect(verifyConsistency(5, 8, roots[0], roots[1], c.proof.map(unhex))).toBe(false);
    expect(verifyConsistency(6, 8, roots[0], roots[1], c.proof.slice(1).map(unhex))).toBe(false);
    expect(verifyConsistency(6, 8, roots[0], roots[1], [])).toBe(false);
  });
});

describe('the Merkle tree against the reference implementation', () => {
  const data = Array.from({ length: 70 }, (_, i) => Uint8Array.of(i, (i * 7) % 256, 3));
  const tree = treeOf(data);

  it('every root, inclusion proof and consistency proof agrees with the reference and verifies, for every size up to 70', () => {
    for (let n = 1; n <= data.length; n++) {
      const root = tree.root(n);
      expect(hex(root)).toBe(hex(mth(data.slice(0, n))));
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(proof.map(hex)).toEqual(refPath(i, data.slice(0, n)).map(hex));
        expect(verifyInclusion(i, n, leafHash(data[i]!), proof, root)).toBe(true);
        if (n > 1) expect(verifyInclusion(i, n, leafHash(data[(i + 1) % n]!), proof, root)).toBe(false);
      }
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(proof.map(hex)).toEqual(refSubproof(m, data.slice(0, n), true).map(hex));
        expect(verifyConsistency(m, n, tree.root(m), root, proof)).toBe(true);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n - 1), proof)).toBe(false);
      }
    }
  });

  it('replacing leaves gives the same root as a tree built with the new leaves from the start', () => {
    const changed = treeOf(data);
    const replacement = (i: number) => Uint8Array.of(200, i);
    for (const i of [0, 5, 6, 33, 69]) changed.set(i, leafHash(replacement(i)));
    const expected = data.map((d, i) => ([0, 5, 6, 33, 69].includes(i) ? replacement(i) : d));
    expect(hex(changed.root())).toBe(hex(mth(expected)));
    expect(hex(changed.root(34))).toBe(hex(mth(expected.slice(0, 34))));
    changed.append(leafHash(Uint8Array.of(9)));
    expect(hex(changed.root())).toBe(hex(mth([...expected, Uint8Array.of(9)])));
  });

  it('appending leaves in runs of any length builds the same tree as appending them one by one', () => {
    const leaves = data.map(leafHash);
    // Runs of odd and even lengths, starting at odd and even sizes and at powers of two.
    for (const runs of [[70], [1, 69], [3, 5, 8, 1, 53], [2, 2, 2, 64], [31, 1, 38]]) {
      const batched = createMerkleTree();
      let at = 0;
      for (const run of runs) {
        batched.appendAll(Buffer.concat(leaves.slice(at, at + run)));
        at += run;
        expect(hex(batched.root())).toBe(hex(tree.root(at)));
      }
      expect(batched.consistencyProof(13).map(hex)).toEqual(tree.consistencyProof(13).map(hex));
      expect(batched.inclusionProof(41).map(hex)).toEqual(tree.inclusionProof(41).map(hex));
    }
    const replaced = treeOf(data.slice(0, 9));
    replaced.set(8, leafHash(Uint8Array.of(1)));
    replaced.appendAll(Buffer.concat(leaves.slice(9, 20)));
    expect(hex(replaced.root())).toBe(hex(mth([...data.slice(0, 8), Uint8Array.of(1), ...data.slice(9, 20)])));
    expect(() => replaced.appendAll(new Uint8Array(33))).toThrow(/32 bytes each/);
  });

  it('asking for a size the tree does not have is a RangeError naming the size', () => {
    expect(() => tree.root(71)).toThrow(/tree size 71/);
    expect(() => tree.inclusionProof(10, 10)).toThrow(/leaf 10/);
    expect(() => tree.consistencyProof(11, 10)).toThrow(/size 11/);
  });

  it('hashes round-trip through canonical base64 only', () => {
    const h = tree.root();
    expect(hashFromBase64(hashToBase64(h))).toEqual(h);
    expect(hashFromBase64(hashToBase64(h).replace('=', ''))).toBeUndefined();
    expect(hashFromBase64('not base64')).toBeUndefined();
  });
});
