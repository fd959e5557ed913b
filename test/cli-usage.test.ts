// The command line as a new user meets it (bin/tiaoli.js over the built dist/): help for every
// command, suggestions for mistakes, one line for a file it cannot have, files named so that they can
// be passed back, output a script can read, and audits that fail loudly rather than report nothing.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullDigest } from '../engine/audit/run.js';
import type { DecisionLog } from '../engine/log/log.js';
import { event, shippedPolicy } from './helpers.js';

const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const POLICIES = new URL('../policies', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function tiaoli(args: string[], { input, cwd, env }: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'h18c-cli-'));
const jsonl = (events: readonly object[]) => events.map((e) => JSON.stringify(e)).join('\n');
/** A copy of the shipped policies at DIR/policies. */
const copied = () => {
  const root = tmp();
  cpSync(POLICIES, join(root, 'policies'), { recursive: true });
  return root;
};

describe('help and version', () => {
  const commands = [
    'decide', 'explain', 'check', 'analyze', 'fmt', 'test', 'articles', 'schema', 'types', 'lsp', 'serve', 'keygen', 'sign', 'replay', 'diff',
    'audit merge', 'log verify', 'log checkpoint', 'log checkpoints', 'log prove', 'log check-proof',
  ];

  it.each(commands)('%s --help: its usage and options on stdout, exit 0, and nothing run', (command) => {
    const dir = tmp();
    // serve would start on PORT and create TIAOLI_DATA; keygen would want --out; nothing of it happens.
    const r = tiaoli([...command.split(' '), '--help'], { cwd: dir, env: { PORT: '0', TIAOLI_DATA: join(dir, 'data') } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^Usage: tiaoli ${command} `));
    expect(r.stdout).toContain('Options:');
    if (!['log checkpoints'].includes(command)) expect(r.stdout).toMatch(/\nExamples:\n {2}\$ /);
    expect(readdirSync(dir)).toEqual([]);
    // `tiaoli help COMMAND` (`tiaoli log help verify`) says the same.
    const [group, sub] = command.split(' ');
    expect(tiaoli(sub ? [group!, 'help', sub] : ['help', group!]).stdout).toBe(r.stdout);
  });

  it('--version prints the package version; no command prints the usage and exits 2', () => {
    expect(tiaoli(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const none = tiaoli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: tiaoli [options] [command]');
    expect(none.stderr).toContain('decide [options] <file>');
  });

  it('suggests the command or option meant, exit 2, running nothing', () => {
    expect(tiaoli(['decid', 'x'])).toMatchObject({ code: 2, stdout: '' });
    expect(tiaoli(['decid', 'x']).stderr).toMatch(/^error: unknown command 'decid'\n\(Did you mean decide\?\)/);
    expect(tiaoli(['decide', '--polices', 'p', '-']).stderr).toMatch(/^error: unknown option '--polices'\n\(Did you mean --policies\?\)/);
    expect(tiaoli(['log', 'verfy']).stderr).toMatch(/\(Did you mean verify\?\)/);
    expect(tiaoli(['replay', '--form', '2019-03-01']).stderr).toMatch(/\(Did you mean --from\?\)/);
    const lang = tiaoli(['explain', '--lang', 'fr', '-'], { input: '' });
    expect(lang.code).toBe(2);
    expect(lang.stderr).toMatch(/argument 'fr' is invalid\. Allowed choices are en, zh\./);
  });
});

describe('flags named alike across commands', () => {
  it('check takes --policies as every command does, or the directory as its argument, not two different ones', () => {
    const r = tiaoli(['check', '--policies', POLICIES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(tiaoli(['check', POLICIES]).stdout);
    const both = tiaoli(['check', POLICIES, '--policies', tmp()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^error: name the policy directory once/);
  });

  it('analyze names two revisions as diff does, --base and --head; --against is gone', () => {
    const r = tiaoli(['analyze', '--against', POLICIES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown option '--against'/);
    expect(tiaoli(['analyze', '--head', POLICIES]).stderr).toMatch(/^error: --head is compared with --base: give both/);
  });
});

describe('files', () => {
  it('a file that cannot be had is one line naming it, as given, and what to do; exit 2', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'adir'));
    const cases: [string[], string][] = [
      [['decide', 'nope.jsonl'], 'tiaoli decide: nope.jsonl: no such file or directory; check the path'],
      [['decide', 'adir'], 'tiaoli decide: adir: it is a directory; name a file'],
      [['explain', 'nope.jsonl'], 'tiaoli explain: nope.jsonl: no such file or directory; check the path'],
      [['diff', '--base', POLICIES, '--head', POLICIES, 'nope.jsonl'], 'tiaoli diff: nope.jsonl: no such file or directory; check the path'],
      [['audit', 'merge', 'nope-1.jsonl'], 'tiaoli audit merge: nope-1.jsonl: no such file or directory; check the path'],
      [['log', 'check-proof', 'nope.json'], 'tiaoli log check-proof: nope.json: no such file or directory; check the path'],
      [['test', 'nope.test.yaml'], 'tiaoli test: nope.test.yaml: no such file or directory; name a test file or directory of the policy tree'],
      [['fmt', 'nope.tiaoli'], 'tiaoli fmt: nope.tiaoli: no such file or directory; check the path'],
    ];
    for (const [args, line] of cases) {
      const r = tiaoli(args, { cwd: dir });
      expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 2, `${line}${args[0] === 'fmt' ? '\ntiaoli fmt: 1 file(s) could not be formatted' : ''}\n`]);
    }
  });

  it('names files from the current directory, so that what test prints can be passed back', () => {
    const root = copied();
    const r = tiaoli(['test', '--policies', 'policies', '--verbose'], { cwd: root });
    expect(r.code).toBe(0);
    const first = /^✓ (\S+\.test\.yaml):\d+ /m.exec(r.stdout)![1]!;
    expect(first).toMatch(/^policies\/[a-z0-9-]+\/article-\d+(\.\w+)?\.test\.yaml$/);
    const again = tiaoli(['test', '--policies', 'policies', '--verbose', first], { cwd: root });
    expect(again.code).toBe(0);
    const files = new Set(again.lines.filter((l) => l.startsWith('✓')).map((l) => l.split(' ')[1]!.replace(/:\d+$/, '')));
    expect([...files]).toEqual([first]);
  });

  it('a stdout closed early ends explain and test quietly, with the status SIGPIPE gives (141)', async () => {
    const file = join(tmp(), 'many.jsonl');
    writeFileSync(file, jsonl(Array.from({ length: 3000 }, () => event('content.publish'))));
    for (const args of [['explain', file], ['test', '--verbose']]) {
      const child = spawn(process.execPath, [BIN, ...args]);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.stdout.destroy();
      const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
      expect([args[0], code, stderr]).toEqual([args[0], 141, '']);
    }
  });
});

describe('output for scripts', () => {
  const wrongCase = () => {
    const root = copied();
    const file = join(root, 'policies/live-2016/article-12.test.yaml');
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(/expect: \{ allowed: false/, 'expect: { allowed: true');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    return root;
  };

  it('test --format json: the summary, every case and problem, as the text reports them', () => {
    const root = wrongCase();
    const text = tiaoli(['test', '--policies', 'policies'], { cwd: root });
    const r = tiaoli(['test', '--policies', 'policies', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { summary: { cases: number; passed: number; failed: number; files: number }; cases: { file: string; line: number; passed: boolean; differences: string[] }[] };
    expect(text.stdout).toContain(`${report.summary.cases} cases in ${report.summary.files} files: ${report.summary.passed} passed, 1 failed`);
    const failed = report.cases.filter((c) => !c.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.file).toBe('policies/live-2016/article-12.test.yaml');
    expect(text.stdout).toContain(`✗ ${failed[0]!.file}:${failed[0]!.line}`);
    expect(failed[0]!.differences).toEqual(['allowed: expected true, got false']);
  });

  it('test --format junit: a suite per file and a case per case, the failing one with its difference', () => {
    const root = wrongCase();
    const r = tiaoli(['test', '--policies', 'policies', '--format', 'junit'], { cwd: root });
    expect(r.code).toBe(1);
    const json = JSON.parse(tiaoli(['test', '--policies', 'policies', '--format', 'json'], { cwd: root }).stdout) as { summary: { cases: number; files: number } };
    expect(r.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="tiaoli test" tests="(\d+)" failures="1" errors="0">\n/);
    expect(r.stdout.match(/<testcase /g)).toHaveLength(json.summary.cases);
    expect(r.stdout.match(/<testsuite /g)).toHaveLength(json.summary.files);
    expect(r.stdout).toMatch(/<testcase name="[^"]*" classname="policies\/live-2016\/article-12\.test\.yaml" file="policies\/live-2016\/article-12\.test\.yaml" line="\d+">\n {6}<failure message="allowed: expected true, got false">/);
    expect(r.stdout.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('explain --json: what decide --explain prints; an invalid event keeps its id, as in the text', () => {
    const good = event('content.publish', { actor: { verified: ['phone_number'] } });
    const input = jsonl([good, { id: 'bad-7', type: 'content.publish' }]);
    const r = tiaoli(['explain', '--json', '-'], { input });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(tiaoli(['decide', '--explain', '-'], { input }).stdout);
    const [first, second] = r.lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ eventId: good.id, allowed: false, explanation: { remediesSuffice: true } });
    expect(second).toMatchObject({ eventId: 'bad-7', error: { code: 'invalid_event' } });
    expect(tiaoli(['explain', '-'], { input }).stdout).toContain('invalid event bad-7: /actor: is required');
  });

  it('fmt --diff shows what would change and rewrites nothing; fmt - formats standard input to standard output', () => {
    const root = copied();
    const file = 'policies/live-2016/article-14.tiaoli';
    const formatted = readFileSync(join(root, file), 'utf8');
    const messy = formatted.replace(/^rule /gm, 'rule  ');
    expect(messy).not.toBe(formatted);
    writeFileSync(join(root, file), messy);
    const d = tiaoli(['fmt', '--diff', file], { cwd: root });
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(new RegExp(`^={67}\\nIndex: ${file}|^Index: ${file}|^--- ${file}`, 'm'));
    expect(d.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(readFileSync(join(root, file), 'utf8')).toBe(messy);
    const s = tiaoli(['fmt', '-'], { input: messy, cwd: root });
    expect([s.code, s.stdout]).toEqual([0, formatted]);
    expect(tiaoli(['fmt', '--check', '-'], { input: messy }).code).toBe(1);
    expect(tiaoli(['fmt', '--check', '-'], { input: formatted })).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('audits fail loudly', () => {
  const logged = () => {
    const dir = tmp();
    const db = join(dir, 'decisions.sqlite');
    const events = [event('content.publish'), event('account.register')];
    expect(tiaoli(['decide', '--log', db, '-'], { input: jsonl(events) }).code).toBe(0);
    return { dir, db };
  };

  it('a log that does not exist is an error, and no reader creates it', () => {
    const dir = tmp();
    for (const args of [['replay', '--log', 'typo.sqlite'], ['diff', '--base', POLICIES, '--head', POLICIES, '--log', 'typo.sqlite'], ['log', 'verify', '--log', 'typo.sqlite'], ['log', 'checkpoints', '--log', 'typo.sqlite'], ['log', 'prove', '1', '--log', 'typo.sqlite']]) {
      const r = tiaoli(args, { cwd: dir });
      expect([args.join(' '), r.code, r.stdout, r.stderr]).toEqual([args.join(' '), 2, '', `tiaoli ${args[0] === 'log' ? `log ${args[1]}` : args[0]}: typo.sqlite: no such file or directory; check the path\n`]);
    }
    expect(existsSync(join(dir, 'typo.sqlite'))).toBe(false);
  });

  it('an unknown event type, an impossible date or a time without an offset is an error naming the flag', () => {
    const { db } = logged();
    const type = tiaoli(['replay', '--log', db, '--type', 'content.publsh']);
    expect([type.code, type.stdout, type.stderr]).toEqual([2, '', 'tiaoli replay: --type: type content.publsh is not an event type of the vocabulary: did you mean `content.publish`?\n']);
    expect(tiaoli(['diff', '--base', POLICIES, '--head', POLICIES, '--log', db, '--type', 'content.publsh']).stderr).toContain('did you mean `content.publish`?');
    const date = tiaoli(['replay', '--log', db, '--from', '2019-02-30']);
    expect([date.code, date.stdout]).toEqual([2, '']);
    expect(date.stderr).toMatch(/^error: --from: 2019-02-30 is not a date of the calendar\n/);
    // The same bound in every machine zone: refused, not read as local time.
    for (const TZ of ['America/Los_Angeles', 'Asia/Shanghai']) {
      const r = tiaoli(['replay', '--log', db, '--to', '2017-06-01T12:00:00'], { env: { TZ } });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/^error: --to: 2017-06-01T12:00:00 has no UTC offset: add \+08:00 for China Standard Time, or Z for UTC\n/);
      expect(JSON.parse(tiaoli(['replay', '--log', db, '--to', '2017-06-01T12:00:00+08:00'], { env: { TZ } }).stdout).summary.events).toBe(2);
    }
  });

  it('a selection that matches nothing says so and exits 2, unless --allow-empty', () => {
    const { db } = logged();
    const r = tiaoli(['replay', '--log', db, '--type', 'record.delete']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tiaoli replay: no event matches the selection, so nothing was audited/);
    expect(JSON.parse(r.stdout).summary.events).toBe(0);
    expect(tiaoli(['replay', '--log', db, '--from', '2030-01-01', '--allow-empty']).code).toBe(0);
    expect(tiaoli(['diff', '--base', POLICIES, '--head', POLICIES, '-'], { input: '' }).code).toBe(2);
    expect(tiaoli(['replay', '--log', db]).code).toBe(0);
  });

  it('--revision takes the shortened digest serve prints, with or without its ellipsis; else a clear error', () => {
    const { db } = logged();
    const digest = shippedPolicy().digest;
    for (const given of [digest, digest.slice(0, 19), `${digest.slice(0, 19)}…`]) {
      const r = tiaoli(['replay', '--log', db, '--revision', given]);
      expect([given, r.code, r.stderr]).toEqual([given, 0, '']);
    }
    const other = digest.startsWith('sha256:0') ? 'sha256:1' : 'sha256:0';
    expect(tiaoli(['replay', '--log', db, '--revision', other]).stderr).toBe(`tiaoli replay: no revision in the log has the digest ${other}; it holds ${digest.slice(0, 19)}\n`);
    expect(tiaoli(['replay', '--log', db, '--revision', 'sha256:xyz']).stderr).toMatch(/^tiaoli replay: sha256:xyz is not a digest/);
  });

  it('a digest that starts two revisions is ambiguous, and says which', async () => {
    const log = { revisions: async () => [{ digest: `sha256:ab${'0'.repeat(62)}` }, { digest: `sha256:ac${'0'.repeat(62)}` }, { digest: `sha256:ab${'0'.repeat(62)}` }] } as unknown as DecisionLog;
    await expect(fullDigest('sha256:a', log)).rejects.toThrow(/^sha256:a is the start of 2 revisions in the log/);
    await expect(fullDigest('sha256:ac', log)).resolves.toBe(`sha256:ac${'0'.repeat(62)}`);
    await expect(fullDigest('./policies', log)).resolves.toBe('./policies');
    await expect(fullDigest('sha256:ab', undefined)).rejects.toThrow(/needs a log/);
  });
});
