// A reduced run of `npm run chaos`: the real service killed with SIGKILL under load, three times;
// every decision whose response arrived must be in the log, and the log must open cleanly.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('crash safety of the decision log', () => {
  it('loses no acknowledged decision across three SIGKILLs', () => {
    const r = spawnSync(process.execPath, [new URL('../../scripts/chaos.js', import.meta.url).pathname, '--scenario', 'sigkill', '--kills', '3'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/3 kills survived, [1-9]\d* acknowledged decisions, 0 lost/);
    expect(r.status).toBe(0);
  });
});
