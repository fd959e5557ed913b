// The real `tiaoli` command, run as a user runs it (bin/tiaoli.js over the built dist/).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolicyDir } from '../engine/index.js';
import { SqliteLog } from '../engine/log/sqlite.js';
import { EVENT_TYPES } from '../engine/schema/vocabulary-lists.js';
import { event } from './helpers.js';

const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const POLICIES = new URL('../policies', import.meta.url).pathname;

function tiaoli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
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
    for (const l of r.lines) expect(JSON.parse(l).policy.articles.length).toBeGreaterThanOrEqual(0);
    // The live-broadcast publish is labelled; the third-party-free disclosure to police is an obligation.
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
    const dir = tmp();
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
    const r = tiaoli(['check', dir]);
    expect(r.code).toBe(1);
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
