// The worked extension (test/fixtures/vocabulary-extension/): a revision of the shipped policies that
// a legal team makes by adding policy files only. Built as they would build it: the shipped tree,
// copied, with the fixture's files put beside it; nothing of Tiaoli's TypeScript changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const POLICIES = new URL('../../policies', import.meta.url).pathname;
export const FIXTURE = new URL('../fixtures/vocabulary-extension', import.meta.url).pathname;
export const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
export const ARTICLE = 'example-tips/article-01.tiaoli';
export const RULE = 'example-tips/1/minor-may-not-tip-over-200';

/** A fresh directory holding the shipped policies plus the fixture's files, optionally with one file edited. */
export function revision(edit?: { path: string; from: string; to: string }): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tiaoli-ext-')), 'policies');
  cpSync(POLICIES, dir, { recursive: true });
  cpSync(FIXTURE, dir, { recursive: true });
  if (edit) {
    const file = join(dir, edit.path);
    const text = readFileSync(file, 'utf8');
    // An edit that matches nothing would test the unedited revision and pass for the wrong reason.
    if (!text.includes(edit.from)) throw new Error(`${edit.path} has no ${JSON.stringify(edit.from)}`);
    writeFileSync(file, text.replace(edit.from, edit.to));
  }
  return dir;
}

/** A tip.send event: a minor sending a 500-yuan virtual gift in 2021, with `over` merged one level deep. */
export function tip(over: { id?: string; occurredAt?: string; actor?: object; tip?: object } = {}): Record<string, unknown> {
  const id = over.id ?? 'tip-1';
  return {
    id,
    type: 'tip.send',
    occurredAt: over.occurredAt ?? '2021-06-01T20:00:00+08:00',
    provider: { id: 'prov-1', services: ['live_broadcast'], licenses: ['icp_filing'], businesses: [], hasStorage: true },
    actor: { id: 'user-7', role: 'user', verified: ['phone_number'], agreementSigned: true, minor: true, ...over.actor },
    tip: { id, amount: 500, channels: ['virtual_gift'], ...over.tip },
  };
}

/** A real `tiaoli serve` on 127.0.0.1 with a data directory and SQLite log of its own, and `env` added. */
export async function serveChild(env: Record<string, string>): Promise<{ readonly child: ChildProcess; readonly url: string; readonly stop: () => Promise<void>; readonly output: () => string }> {
  // The environment running the tests does not choose the policies or the log.
  const { TIAOLI_POLICIES: _policies, TIAOLI_LOG_URL: _log, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...inherited, PORT: '0', HOST: '127.0.0.1', TIAOLI_DATA: mkdtempSync(join(tmpdir(), 'tiaoli-ext-serve-')), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  // The service prints its port once it listens: no waiting on a clock.
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, url: `http://127.0.0.1:${port}`, stop, output: () => out };
}
