// The command line starts from the shipped policies checked beforehand by the build
// (dist/cli/shipped-bundle.json): used only for the very sources it was made from, and made by the
// compiler that is built, so it decides as parsing the policies again would.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildBundle, checkSources, sourcesKey, type Prebuilt } from '../../engine/bundle.js';
import { decide, readPolicyDir, SHIPPED_POLICIES, type Decision } from '../../engine/index.js';
import { eventMaker } from '../../scripts/bench-events.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const shipped = readPolicyDir(SHIPPED_POLICIES);

describe('a bundle checked beforehand', () => {
  it('is used for the sources it names, and for no others', () => {
    // Other sources: the shipped ones but one article.
    const other = shipped.filter((s) => s.path !== 'live-2016/article-12.tiaoli');
    expect(other.length).toBe(shipped.length - 1);
    const { checked, diagnostics } = checkSources(other);
    // Another bundle under the shipped sources' key: taken as it is, which shows it is consulted.
    const prebuilt: Prebuilt = { key: sourcesKey(shipped), checked, diagnostics };
    expect(buildBundle(shipped, prebuilt).checked).toBe(checked);
    expect(buildBundle(shipped, { ...prebuilt, key: sourcesKey(other) }).policy!.digest).toBe(buildBundle(shipped).policy!.digest);
    // One changed character is other sources.
    const edited = shipped.map((s, i) => (i === 0 ? { ...s, text: `${s.text} ` } : s));
    expect(sourcesKey(edited)).not.toBe(sourcesKey(shipped));
    expect(buildBundle(edited, prebuilt).checked).not.toBe(checked);
  });

  it('the build wrote for the shipped policies as they are, and the command line decides with it as the library does', () => {
    const prebuilt = JSON.parse(readFileSync(`${ROOT}dist/cli/shipped-bundle.json`, 'utf8')) as Prebuilt;
    expect(prebuilt.key).toBe(sourcesKey(shipped));
    const fresh = buildBundle(shipped);
    expect(buildBundle(shipped, prebuilt).policy!.digest).toBe(fresh.policy!.digest);
    const next = eventMaker(5);
    const events = Array.from({ length: 300 }, () => next());
    const r = spawnSync(`${ROOT}bin/tiaoli.js`, ['decide', '-'], { input: events.map((e) => JSON.stringify(e)).join('\n'), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual(events.map((e) => JSON.stringify(decide(fresh.policy!, e) as Decision)));
  });
});
