// Fuzzing the policy tree walker with real trees: directories, files, FIFOs and symbolic links (to
// each other, to the root and above it, to a secret outside it, to /proc/self/environ, to nothing).
// The walker returns or refuses with a PolicyLoadError, at once, and never reads what lies outside.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyLoadError, readPolicyTree } from '../../engine/load.js';
import { RUNS } from './generators.js';

const SECRET = 'tiaoli-fuzz-secret';
const NAMES = ['a', 'b', '..data', 'x.tiaoli', 'x.test.yaml', 'fixtures.yaml', 'readme'];
const FIXED_TARGETS = ['.', '..', '../..', '/proc/self/environ', 'nowhere'];

const node = fc.record({
  parent: fc.nat(),
  name: fc.constantFrom(...NAMES),
  kind: fc.constantFrom('dir', 'file', 'fifo', 'link'),
  target: fc.oneof(fc.constantFrom(...FIXED_TARGETS, 'secret'), fc.nat()),
});

describe('the policy tree walker on random trees', () => {
  it('returns or refuses with a PolicyLoadError, and never reads outside the tree', { timeout: 600_000 }, () => {
    const outside = mkdtempSync(join(tmpdir(), 'tiaoli-fuzz-outside-'));
    writeFileSync(join(outside, 'secret.tiaoli'), SECRET);
    process.env['TIAOLI_FUZZ_SECRET'] = SECRET;
    try {
      fc.assert(
        fc.property(fc.array(node, { maxLength: 10 }), (nodes) => {
          const base = mkdtempSync(join(tmpdir(), 'tiaoli-fuzz-tree-'));
          const root = join(base, 'root');
          mkdirSync(root);
          const dirs = [root];
          const made: string[] = [root];
          for (const n of nodes) {
            const path = join(dirs[n.parent % dirs.length]!, n.name);
            if (lstatSync(path, { throwIfNoEntry: false })) continue;
            made.push(path);
            if (n.kind === 'dir') dirs.push((mkdirSync(path), path));
            else if (n.kind === 'file') writeFileSync(path, 'regulation r in force from 2020-01-01 articles 1\n');
            else if (n.kind === 'fifo') execFileSync('mkfifo', [path]);
            else {
              const target = typeof n.target === 'number' ? relative(dirname(path), made[n.target % made.length]!) || '.' : n.target === 'secret' ? join(outside, 'secret.tiaoli') : n.target;
              symlinkSync(target, path);
            }
          }
          try {
            const tree = readPolicyTree(root);
            for (const f of [...tree.sources, ...tree.tests, ...tree.fixtures]) expect(f.text).not.toContain(SECRET);
          } catch (e) {
            if (!(e instanceof PolicyLoadError)) throw e;
            expect(e.message).not.toContain(SECRET);
          } finally {
            rmSync(base, { recursive: true, force: true });
          }
        }),
        { numRuns: RUNS ? Math.floor(RUNS / 100) : 100 },
      );
    } finally {
      delete process.env['TIAOLI_FUZZ_SECRET'];
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
