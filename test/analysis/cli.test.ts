// `tiaoli analyze`, run as a user runs it (bin/tiaoli.js over the built dist/): the process ends
// by itself once Z3 is done, with the exit status the findings call for.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedPolicy } from '../helpers.js';

const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
const POLICIES = new URL('../../policies', import.meta.url).pathname;

function tiaoli(args: string[], cwd?: string) {
  // A process Z3's threads kept alive would run into the timeout.
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the shipped policies with one file edited. */
function editedCopy(file: string, from: string, to: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tiaoli-analyze-')), 'policies');
  cpSync(POLICIES, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
  return dir;
}

describe('tiaoli analyze', () => {
  it('analyses the shipped policies: four infos, exit 0', () => {
    const r = tiaoli(['analyze']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^\S+:\d+:\d+: info TL102: /gm)).toHaveLength(4);
    const rules = shippedPolicy().checked.articles.flatMap((a) => a.rules).length;
    expect(r.stdout).toMatch(new RegExp(`^${rules} rules analysed: 0 error\\(s\\), 0 warning\\(s\\), 4 info\\(s\\); \\d+ queries, solver \\d+ ms$`, 'm'));
  });

  it('reports a dead rule at its line and exits 1; --json gives the same diagnostics', () => {
    const dir = editedCopy('live-2016/article-16.tiaoli', 'when live-provider', 'when live-provider and occurredAt before 2016-01-01');
    const r = tiaoli(['analyze', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('live-2016/article-16.tiaoli:19:1: warning TL100: rule content-and-logs-kept-sixty-days can never fire: live-2016 is in force from 2016-12-01');
    // Dead, art. 16's rule no longer covers notice-2018's: three infos are left.
    // Files are named from the current directory, as check names them: what is printed can be passed back.
    const json = JSON.parse(tiaoli(['analyze', '--policies', 'policies', '--json'], join(dir, '..')).stdout);
    expect(json.diagnostics.map((d: { code: string; span: { file: string } }) => `${d.code} ${d.span.file}`)).toEqual([
      'TL102 policies/av-2019/article-11.tiaoli',
      'TL102 policies/live-2016/article-11.tiaoli',
      'TL102 policies/live-2016/article-11.tiaoli',
      'TL100 policies/live-2016/article-16.tiaoli',
    ]);
  });

  it('--base/--head: a witness per kind of change, exit 1; nothing changed: proved, exit 0', () => {
    const dir = editedCopy('live-2016/article-16.tiaoli', 'P60D', 'P90D');
    const r = tiaoli(['analyze', '--base', POLICIES, '--head', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // Z3 picks the witness: a record kept under both (60 → 90 days) or under the new period only.
    // With the fixtures beside the head, a publication of 2019: kept sixty days by notice-2018, ninety by the edit.
    expect(r.stdout).toMatch(/^retention:content_and_logs: (P60D until \S+|none) → (P60D until \S+, )?P90D until \S+$/m);
    expect(r.stdout).toMatch(/^ {2}live-2016 16: Published content and logs kept: 60 days → 90 days, until \d{4}-\d\d-\d\d$/m);
    expect(r.stdout).toContain('3 kind(s) of change, each with a witness event decided under both revisions');
    const json = JSON.parse(tiaoli(['analyze', '--base', POLICIES, '--policies', dir, '--json']).stdout);
    expect(json.proved).toBe(false);
    expect(json.changes.map((c: { observable: string }) => c.observable)).toEqual(['allowed', 'citations:live-2016 16.1', 'retention:content_and_logs']);
    expect(json.changes.every((c: { confirmed: boolean }) => c.confirmed)).toBe(true);
    // Values, not words: each change's part of the decision under the base and the head, as the witness's decisions give it.
    for (const c of json.changes as { observable: string; before: unknown; after: unknown; differences: { field: string; base: unknown; head: unknown }[] }[]) {
      expect(c).not.toHaveProperty('change');
      expect(c.before).not.toEqual(c.after);
    }
    const allowed = json.changes.find((c: { observable: string }) => c.observable === 'allowed');
    expect([typeof allowed.before, typeof allowed.after]).toEqual(['boolean', 'boolean']);
    expect(allowed.differences.find((d: { field: string }) => d.field === 'allowed')).toEqual({ field: 'allowed', base: allowed.before, head: allowed.after });
    const kept = json.changes.find((c: { observable: string }) => c.observable === 'retention:content_and_logs');
    expect(kept.after).toContainEqual(expect.objectContaining({ record: 'content_and_logs', period: 'P90D' }));
    expect(kept.after.filter((r: { binding?: boolean }) => r.binding !== false)).toEqual([expect.objectContaining({ period: 'P90D' })]);
    expect(kept.articles).toEqual(['live-2016 16']);
    expect(kept.headline.zh).toMatch(/^发布内容和日志信息保存期限：60 日 → 90 日，至 \d{4}-\d\d-\d\d$/);

    const same = tiaoli(['analyze', '--base', POLICIES]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^no event's decision changes \(proved\)/m);
  });

  it('refuses policies that do not compile, exit 2', () => {
    const r = tiaoli(['analyze', editedCopy('live-2016/article-16.tiaoli', 'when live-provider', 'when live-provder')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TL031');
  });
});
