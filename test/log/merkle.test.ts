// The log's Merkle tree against RFC 9162's definitions: the frontier gives the recursive root at every
// size, every inclusion proof verifies, and a proof with anything changed does not.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, Frontier, inclusionPath, leafHash, nodeHash, perfectRoot, treeRoot, verifyInclusion } from '../../engine/log/merkle.js';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`entry ${i}`));
const runs = Number(process.env['FUZZ_RUNS'] ?? 200);

describe('the Merkle tree of the log', () => {
  it('hashes leaves and nodes with RFC 9162 prefixes, and the empty tree as the hash of nothing', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    expect(leafHash('a')).toEqual(sha(Buffer.from([0]), Buffer.from('a')));
    expect(nodeHash(leafHash('a'), leafHash('b'))).toEqual(sha(Buffer.from([1]), leafHash('a'), leafHash('b')));
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // Three leaves split 2 + 1: the left subtree is the largest power of two below the size.
    const [a, b, c] = leaves(3) as [Buffer, Buffer, Buffer];
    expect(treeRoot([a, b, c])).toEqual(nodeHash(nodeHash(a, b), c));
  });

  it('gives from its frontier the recursive root at every size, and rebuilds from the frontier it gives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (n) => {
        const all = leaves(n);
        const f = Frontier.empty();
        for (let i = 0; i < n; i++) {
          f.push(all[i]!);
          expect(f.root()).toEqual(treeRoot(all.slice(0, i + 1)));
        }
        const again = Frontier.of(f.size, f.hashes());
        again.push(leafHash('next'));
        expect(again.root()).toEqual(treeRoot([...all, leafHash('next')]));
      }),
      { numRuns: Math.min(runs, 60) },
    );
    expect(() => Frontier.of(3, [leafHash('only one')])).toThrow(/3 leaves has 2 subtree roots, not 1/);
  });

  it('takes a whole subtree by its root, as its leaves pushed one by one, wherever the size allows it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 9 }), (height, blocks) => {
        const size = 2 ** height;
        const all = leaves(size * (blocks + 1));
        const f = Frontier.empty();
        for (let b = 0; b <= blocks; b++) {
          const block = all.slice(b * size, (b + 1) * size);
          expect(perfectRoot(Buffer.concat(block), size)).toEqual(treeRoot(block));
          f.pushSubtree(perfectRoot(Buffer.concat(block), size), size);
          expect(f.root()).toEqual(treeRoot(all.slice(0, (b + 1) * size)));
        }
        const byLeaf = Frontier.empty();
        for (const leaf of all) byLeaf.push(leaf);
        expect(f.hashes()).toEqual(byLeaf.hashes());
      }),
      { numRuns: Math.min(runs, 60) },
    );
    const three = Frontier.of(3, [nodeHash(leafHash('a'), leafHash('b')), leafHash('c')]);
    expect(() => three.pushSubtree(leafHash('d'), 2)).toThrow('a subtree of 2 leaves does not fit a tree of 3');
    expect(() => perfectRoot(Buffer.alloc(96), 3)).toThrow('3 leaves do not make a perfect tree');
  });

  it('proves every leaf of every tree, and no proof survives a change of leaf, index, shape, path or root', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((size) => fc.record({ size: fc.constant(size), index: fc.nat({ max: size - 1 }), other: fc.nat({ max: size - 1 }), flip: fc.nat() })),
        ({ size, index, other, flip }) => {
          const all = leaves(size);
          const root = treeRoot(all);
          const path = inclusionPath(index, all);
          expect(verifyInclusion(all[index]!, index, size, path, root)).toBe(true);
          // Another leaf, or the same leaf at another index, is not proved by this path.
          if (other !== index) {
            expect(verifyInclusion(all[other]!, index, size, path, root)).toBe(false);
            expect(verifyInclusion(all[index]!, other, size, path, root)).toBe(false);
          }
          // A size beyond the index's shape: the path is too short or too long for it.
          expect(verifyInclusion(all[index]!, index, size * 2 + 1, path, root)).toBe(false);
          expect(verifyInclusion(all[index]!, index, size, path, leafHash('another root'))).toBe(false);
          if (path.length > 0) {
            const bent = path.map((p, i) => (i === flip % path.length ? leafHash('not a sibling') : p));
            expect(verifyInclusion(all[index]!, index, size, bent, root)).toBe(false);
            expect(verifyInclusion(all[index]!, index, size, path.slice(1), root)).toBe(false);
          }
          expect(verifyInclusion(all[index]!, index, size, [...path, leafHash('extra')], root)).toBe(false);
        },
      ),
      { numRuns: runs },
    );
  });

  it('refuses a leaf outside the tree', () => {
    const all = leaves(4);
    expect(() => inclusionPath(4, all)).toThrow(/leaf 4 is not in a tree of 4/);
    expect(verifyInclusion(all[0]!, -1, 4, [], treeRoot(all))).toBe(false);
    expect(verifyInclusion(all[0]!, 0, 0, [], EMPTY_ROOT)).toBe(false);
  });
});
