// The worked extension (test/fixtures/vocabulary-extension/): a revision of the shipped policies that
// a legal team makes by adding policy files only. Built as they would build it: the shipped tree,
// copied, with the fixture's files put beside it; nothing of Tiaoli's TypeScript changes.
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
    provider: { id: 'prov-1', services: ['live_broadcast'], licenses: ['icp_filing'], hasStorage: true },
    actor: { id: 'user-7', role: 'user', verified: ['phone_number'], agreementSigned: true, minor: true, ...over.actor },
    tip: { id, amount: 500, channels: ['virtual_gift'], ...over.tip },
  };
}
