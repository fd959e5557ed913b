// The real `tiaoli` command, run as a user runs it (bin/tiaoli.js over the built dist/).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDir } from '../engine/index.js';
import { SqliteLog } from '../engine/log/sqlite.js';
import { decideShipped, event, shippedEventTypes } from './helpers.js';

const EVENT_TYPES = shippedEventTypes();

const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const POLICIES = new URL('../policies', import.meta.url).pathname;

function tiaoli(args: string[], input?: string, env: NodeJS.ProcessEnv = process.env, cwd?: string) {
  // Bounded: a loader that hangs (a FIFO, a loop) fails the test instead of stalling the suite. Just
  // under the test's own 60 s: at a load of 20 on two cores one start of the CLI took over 20 s.
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env, timeout: 55_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean) };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'tiaoli-cli-'));

describe('tiaoli decide', () => {
  const events = EVENT_TYPES.map((t) => event(t));

  it('decides events of all eight types, one line each, in input order', () => {
    const file = join(tmp(), 'events.jsonl');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
    const r = tiaoli(['decide', file]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => JSON.parse(l).eventId)).toEqual(events.map((e) => e.id));
    // Each line is the library's decision for its event, field for field.
    expect(r.lines.map((l) => JSON.parse(l))).toEqual(events.map((e) => decideShipped(e)));
    // The live-broadcast publish is labelled; disclosing a publisher's identity to police is an obligation.
    const byType = Object.fromEntries(r.lines.map((l, i) => [events[i]!.type, JSON.parse(l)]));
    expect(byType['content.publish'].labeling).toEqual(['platform_identification']);
    expect(byType['identity.disclosure'].obligations).toEqual([{ code: 'provide_identity_information' }]);
    expect(byType['record.delete'].allowed).toBe(false);
  });

  it('reports an invalid event on its own line, decides the rest, and exits 1', () => {
    const bad = { ...events[1]!, id: 'bad-1', actor: { id: 'a', verified: 'phone_number' } };
    const input = [events[0], bad, '{not json', events[2]].map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n');
    const r = tiaoli(['decide', '-'], input);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(4);
    expect(JSON.parse(r.lines[1]!)).toEqual({
      eventId: 'bad-1',
      error: { code: 'invalid_event', message: 'the event does not match the Event schema', errors: [{ path: '/actor/verified', message: 'must be array' }] },
    });
    expect(JSON.parse(r.lines[2]!).error.code).toBe('invalid_json');
    expect(JSON.parse(r.lines[3]!).eventId).toBe(events[2]!.id);
    expect(r.stderr).toContain('2 invalid event(s), 2 decided');
  });

  it('reads a JSON array as well as JSON Lines, with the same decisions', () => {
    const lines = tiaoli(['decide', '-'], events.map((e) => JSON.stringify(e)).join('\n'));
    const array = tiaoli(['decide', '-'], `  \n${JSON.stringify(events, null, 2)}`);
    expect(array.code).toBe(0);
    expect(array.stdout).toBe(lines.stdout);
  });

  it('logs each decision with --log, and records the revision that decided', async () => {
    const db = join(tmp(), 'cli.sqlite');
    const input = events.map((e) => JSON.stringify(e)).join('\n');
    const r = tiaoli(['decide', '--log', db, '-'], input);
    expect(r.code).toBe(0);
    const log = new SqliteLog(db);
    const logged = await log.query({ limit: 100 });
    expect(logged.map((e) => e.eventId)).toEqual(events.map((e) => e.id));
    expect(logged.map((e) => JSON.stringify(e.decision))).toEqual(r.lines);
    expect((await log.revisions()).map((v) => v.digest)).toEqual([logged[0]!.digest]);
    await log.close();
  });

  it('refuses policies that do not compile, with their diagnostics', () => {
    const dir = tmp();
    cpSync(POLICIES, dir, { recursive: true });
    writeFileSync(join(dir, 'live-2016/article-13.tiaoli'), readFileSync(join(POLICIES, 'live-2016/article-13.tiaoli'), 'utf8').replace('actor.agreementSigned', 'actor.agreementSined'));
    const r = tiaoli(['decide', '--policies', dir, '-'], JSON.stringify(events[0]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/live-2016\/article-13\.tiaoli:\d+:\d+: error TL050: the event has no field actor\.agreementSined\n {2}help: did you mean `actor\.agreementSigned`\?/);
  });
});

describe('tiaoli explain', () => {
  const denied = event('content.publish', { actor: { verified: ['phone_number'] } });

  it('explains in English and Chinese, with what would make a denied event allowed', () => {
    const en = tiaoli(['explain', '-'], JSON.stringify(denied));
    expect(en.code).toBe(0);
    expect(en.stdout).toContain(`Event ${denied.id} (content.publish, 2017-06-01 in Beijing): DENIED`);
    expect(en.stdout).toContain('add identity document to verified real identity (actor.verified) — live-2016 art. 12 para. 1');
    const zh = tiaoli(['explain', '--lang', 'zh', '-'], JSON.stringify(denied));
    expect(zh.stdout).toContain('在「已认证的真实身份信息」中补充：身份证件 — live-2016 第12条第1款');
  });

  it('adds the explanation to each decision with decide --explain', () => {
    const r = tiaoli(['decide', '--explain', '--lang', 'zh', '-'], JSON.stringify(denied));
    const d = JSON.parse(r.lines[0]!);
    expect(d.allowed).toBe(false);
    expect(d.explanation.remediesSuffice).toBe(true);
    expect(d.explanation.remedies).toContainEqual({ rule: 'live-2016/12/publishers-verified-by-identity-document', citation: { regulation: 'live-2016', article: 12, paragraph: 1 }, changes: [{ path: 'actor.verified', add: 'identity_document' }] });
    expect(d.explanation.text).toContain('不允许');
  });
});

describe('tiaoli check', () => {
  it('finds the shipped policies clean', () => {
    const r = tiaoli(['check', POLICIES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${readPolicyDir(POLICIES).length} files checked: 0 error(s), 0 warning(s)`);
  });

  it('prints each mistake as file:line:col: error CODE: message, then its help, and exits 1', () => {
    const root = tmp();
    const dir = join(root, 'policies');
    cpSync(POLICIES, dir, { recursive: true });
    const path = join(dir, 'live-2016/article-15.tiaoli');
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text
        .replace('actor.blacklisted', 'actor.blacklistd')
        .replace('take deny_registration', 'take deny_registraton')
        .replace('cites live-2016 article 15 paragraph 2', 'cites live-2016 article 15 paragraph 9'),
    );
    // Run from the policy directory, the files are named from it; from elsewhere, from there.
    const r = tiaoli(['check', '--policies', '.'], undefined, process.env, dir);
    expect(r.code).toBe(1);
    expect(tiaoli(['check', 'policies'], undefined, process.env, root).stdout).toBe(r.stdout.replace(/^live-2016\//gm, 'policies/live-2016/'));
    const errors = r.lines.filter((l) => / error TL\d+: /.test(l));
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toMatch(/^live-2016\/article-15\.tiaoli:\d+:\d+: error TL\d{3}: /);
    expect(r.stdout).toContain('help: did you mean `actor.blacklisted`?');
    expect(r.stdout).toContain('help: did you mean `deny_registration`?');
    expect(r.stdout).toContain('help: That article quotes 3 paragraph(s); cite one of them.');
  });

  it('gives the same diagnostics as JSON with --json', () => {
    const r = tiaoli(['check', POLICIES, '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ files: readPolicyDir(POLICIES).length, diagnostics: [] });
  });
});

describe('a policy tree that would decide with less law than was given is refused', () => {
  const refused = (r: ReturnType<typeof tiaoli>, command: string, code: string) => {
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${command}: policies refused: /.*\\[${code}\\]$`))]);
  };
  const copy = () => {
    const dir = tmp();
    cpSync(POLICIES, dir, { recursive: true });
    return dir;
  };

  it('check: an empty directory is TL070 (no vocabulary), a vocabulary alone TL022, exit 1', () => {
    const empty = tmp();
    const r = tiaoli(['check', empty], undefined, process.env, empty);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('.:1:1: error TL070: the bundle has no vocabulary: no file of the bundle is a vocabulary');
    const vocabulary = tmp();
    cpSync(join(POLICIES, 'vocabulary.tiaoli'), join(vocabulary, 'vocabulary.tiaoli'));
    const v = tiaoli(['check', vocabulary], undefined, process.env, vocabulary);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('vocabulary.tiaoli:1:1: error TL022: the bundle declares no regulation: there are no policy files');
    expect(r.stdout).toContain('0 files checked: 1 error(s)');
  });

  it('check: article files without their regulation (TL022), a regulation of no articles (TL023)', () => {
    const articles = tmp();
    cpSync(join(POLICIES, 'live-2016'), join(articles, 'live-2016'), { recursive: true });
    rmSync(join(articles, 'live-2016/regulation.tiaoli'));
    cpSync(join(POLICIES, 'vocabulary.tiaoli'), join(articles, 'vocabulary.tiaoli'));
    const r = tiaoli(['check', articles]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('live-2016/article-01.tiaoli:1:1: error TL022: the bundle declares no regulation: none of its 20 policy file(s) is a regulation file');
    const none = tmp();
    mkdirSync(join(none, 'live-2016'));
    cpSync(join(POLICIES, 'vocabulary.tiaoli'), join(none, 'vocabulary.tiaoli'));
    writeFileSync(join(none, 'live-2016/regulation.tiaoli'), 'regulation live-2016 title zh "互联网直播服务管理规定" in force from 2016-12-01 articles 0\n');
    const r2 = tiaoli(['check', none]);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain('live-2016/regulation.tiaoli:1:12: error TL023: live-2016 decides nothing: it declares articles 0');
  });

  it('check: a tree of links out of it (cp -rs) is refused, not "0 files checked"', () => {
    const dir = join(tmp(), 'p');
    execFileSync('cp', ['-rs', POLICIES, dir]);
    const r = tiaoli(['check', dir]);
    refused(r, 'tiaoli check', 'link_outside_root');
    expect(r.stdout).toBe('');
  });

  it('check: a ConfigMap-style tree of links inside it passes as the plain tree does', () => {
    const dir = tmp();
    cpSync(POLICIES, join(dir, '..2026_12_01'), { recursive: true });
    symlinkSync('..2026_12_01', join(dir, '..data'));
    for (const f of readdirSync(POLICIES)) symlinkSync(join('..data', f), join(dir, f));
    const r = tiaoli(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(tiaoli(['check', POLICIES]).stdout);
  });

  it('check and test: a directory loop and a FIFO are refused at once', () => {
    const loop = copy();
    symlinkSync('.', join(loop, 'x'));
    refused(tiaoli(['check', loop]), 'tiaoli check', 'directory_loop');
    const fifo = copy();
    execFileSync('mkfifo', [join(fifo, 'live-2016/article-12.more.test.yaml')]);
    refused(tiaoli(['test', '--policies', fifo]), 'tiaoli test', 'special_file');
    refused(tiaoli(['check', fifo]), 'tiaoli check', 'special_file');
  });

  it('serve: does not start on an empty tree or one it refuses', () => {
    const env = (policies: string) => ({ ...process.env, PORT: '0', TIAOLI_DATA: tmp(), TIAOLI_POLICIES: policies });
    const empty = tiaoli(['serve'], undefined, env(tmp()));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error TL070');
    expect(empty.stderr).toContain('tiaoli serve: the policies in');
    const loop = copy();
    mkdirSync(join(loop, 'extra'));
    symlinkSync('..', join(loop, 'extra/up'));
    refused(tiaoli(['serve'], undefined, env(loop)), 'tiaoli serve', 'directory_loop');
  });
});
