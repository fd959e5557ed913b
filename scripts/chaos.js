// `npm run chaos [-- --scenario NAME …] [-- --kills N] [-- --pg URL] [-- --list]`: process and
// infrastructure faults, each a bounded scenario against the real service started by the shared
// harness (scripts/attack-harness.js), each ending with the same recovery check. `sigkill` is the
// crash-safety run: it kills the service with SIGKILL at random moments under load and checks that
// the log opens cleanly and holds every decision whose response arrived. Exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { adminHeaders, Counts, event, fillLog, registerMount, req, runScenarios, setUmount, sleep, tmpDir, unregisterMount } from './attack-harness.js';

const argv = process.argv.slice(2);
const CLIENTS = 16;
const post = (port, body, timeoutMs = 5_000) => req(port, { method: 'POST', path: '/v1/decisions', body, timeoutMs });

setUmount((dir) => {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  } catch {
    // Not mounted any more.
  }
});

const scenarios = [
  {
    name: 'sigkill',
    summary: 'SIGKILL the service under 16 clients at random moments (--kills N, --seed S); every acknowledged decision must be in the log',
    service: false,
    timeLimitMs: 600_000,
    async run(ctx) {
      const kills = Number(ctx.options.kills);
      let seed = Number(ctx.options.seed) >>> 0 || 1;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
      const data = tmpDir('chaos');
      const acknowledged = new Set();
      let sent = 0;
      for (let round = 1; round <= kills && !ctx.aborted; round++) {
        const svc = await ctx.start({ data });
        let running = true;
        const client = async (c) => {
          while (running) {
            const id = `r${round}-c${c}-${sent++}`;
            // No answer (the service died under the request): nothing was promised.
            const r = await post(svc.port, event(id, sent), 10_000);
            if (r.status === 200) acknowledged.add(id);
          }
        };
        const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
        await sleep(100 + random() * 1_400);
        svc.child.kill('SIGKILL');
        await svc.exited;
        running = false;
        await Promise.all(clients);

        const db = new Database(join(data, 'decisions.sqlite'));
        const integrity = db.pragma('integrity_check', { simple: true });
        const logged = new Set(db.prepare('SELECT event_id FROM decisions').pluck().all());
        db.close();
        const lost = [...acknowledged].filter((id) => !logged.has(id));
        console.log(`  kill ${String(round).padStart(2)}: ${acknowledged.size} acknowledged so far, ${logged.size} in the log, integrity ${integrity}, ${lost.length} lost`);
        if (integrity !== 'ok' || lost.length > 0) {
          await ctx.start({ data });
          return { did: `kill ${round}: integrity ${integrity}, lost ${lost.slice(0, 5).join(', ')}`, ok: false, why: `${lost.length} acknowledged decisions lost, integrity ${integrity}` };
        }
      }
      await ctx.start({ data });
      return { did: `${kills} kills survived, ${acknowledged.size} acknowledged decisions, 0 lost`, counts: new Counts().add('acknowledged', acknowledged.size) };
    },
  },
  {
    name: 'postgres-poison',
    summary: '16 honest clients for 10 s while an attacker posts ids with \\u0000 and ~3 KB ids (PostgreSQL log: --pg URL or TIAOLI_TEST_PG_URL)',
    service: false,
    async run(ctx) {
      const url = ctx.options.pg ?? process.env.TIAOLI_TEST_PG_URL;
      if (!url) return { skipped: 'skipped: no PostgreSQL (give --pg URL or TIAOLI_TEST_PG_URL)' };
      const svc = await ctx.start({ env: { TIAOLI_LOG_URL: url } });
      const counts = new Counts();
      const stopAt = performance.now() + 10_000;
      let seq = 0;
      const run = `${Date.now().toString(36)}`;
      const honest = async (c) => {
        for (let n = 0; n < 5_000 && performance.now() < stopAt && !ctx.aborted; n++) {
          const r = await post(svc.port, event(`pg-${run}-${c}-${seq++}`, seq));
          counts.add(`honest:${r.status}`);
        }
      };
      const attacker = async () => {
        for (let n = 0; n < 5_000 && performance.now() < stopAt && !ctx.aborted; n++) {
          const id = n % 2 ? `nul-${run}-${n}\u0000x` : `long-${run}-${n}-${'x'.repeat(3_000)}`;
          const r = await post(svc.port, event(id, n));
          counts.add(`attacker:${r.status}`);
        }
      };
      await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => honest(c)), attacker()]);
      const honestTotal = [...counts.map].filter(([k]) => k.startsWith('honest:')).reduce((n, [, v]) => n + v, 0);
      const honestFailed = honestTotal - counts.get('honest:200');
      const attackerTotal = [...counts.map].filter(([k]) => k.startsWith('attacker:')).reduce((n, [, v]) => n + v, 0);
      const attacker400 = counts.get('attacker:400');
      return {
        did: `${honestTotal} honest requests (${honestFailed} failed), ${attackerTotal} poisoned (${attacker400} got 400)`,
        counts,
        ok: honestFailed === 0 && attacker400 === attackerTotal,
        why: `${honestFailed} honest requests failed; ${attackerTotal - attacker400} poisoned requests were not answered 400`,
      };
    },
  },
  {
    name: 'log-outage',
    summary: 'the SQLite log on a 2 MB tmpfs that fills up mid-run, then frees: expected 503 + Retry-After, /healthz or /readyz unhealthy, then recovery',
    service: false,
    async run(ctx) {
      const data = tmpDir('outage');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', data], { stdio: 'pipe' });
      } catch (e) {
        // chmod does not stop root from writing, so there is no honest fallback here.
        return { skipped: `skipped: cannot mount a tmpfs (${e.stderr?.toString().trim() || e.message}); run as root` };
      }
      registerMount(data);
      try {
        const svc = await ctx.start({ data });
        const counts = new Counts();
        for (let i = 0; i < 100; i++) counts.add(`before:${(await post(svc.port, event(`before-${i}`, i))).status}`);
        // Fill what is left of the tmpfs.
        const filler = join(data, 'filler');
        const fd = openSync(filler, 'w');
        const block = Buffer.alloc(64 * 1024, 1);
        let filled = 0;
        try {
          for (let i = 0; i < 1_000; i++) filled += writeSync(fd, block);
        } catch {
          // ENOSPC: full.
        }
        closeSync(fd);
        let retryAfter = 0;
        let failures = 0;
        let health;
        for (let i = 0; i < 300 && !ctx.aborted; i++) {
          const r = await post(svc.port, event(`full-${i}-${'x'.repeat(200)}`, i), 2_000);
          counts.add(`full:${r.status}`);
          if (r.status !== 200) {
            failures++;
            if (r.status === 503 && r.headers?.['retry-after']) retryAfter++;
            if (!health) {
              const h = await req(svc.port, { path: '/healthz', timeoutMs: 2_000 });
              const rd = await req(svc.port, { path: '/readyz', timeoutMs: 2_000 });
              health = { healthz: h.status, healthzBody: h.text?.slice(0, 80), readyz: rd.status };
            }
          }
        }
        if (health) counts.add(`healthz:${health.healthz}`).add(`readyz:${health.readyz}`);
        unlinkSync(filler);
        await sleep(1_000);
        const unhealthy = health && (health.healthz !== 200 || !/"ok"/.test(health.healthzBody ?? '') || health.readyz === 503);
        const why = [];
        if (failures === 0) why.push('the log never failed (no outage produced)');
        else {
          if (retryAfter < failures) why.push(`${failures - retryAfter} of ${failures} failed writes were not 503 + Retry-After`);
          if (!unhealthy) why.push(`/healthz ${health.healthz} ${health.healthzBody} and /readyz ${health.readyz} during the outage`);
        }
        return { did: `${(filled / 1024).toFixed(0)} KiB filler filled the tmpfs; 300 decisions while full: ${failures} failed, ${retryAfter} of them 503 + Retry-After; then freed`, counts, ok: why.length === 0, why: why.join('; ') };
      } finally {
        // The harness stops the service; the mount goes at the end (lazily), with the tmp dir.
        unregisterMount(data);
        await ctx.stopCurrent();
        try {
          execFileSync('umount', [data], { stdio: 'ignore' });
        } catch {
          registerMount(data);
        }
        await ctx.start();
      }
    },
  },
  {
    name: 'corrupt-sqlite',
    summary: 'overwrite pages in the middle of the SQLite log between runs, then start: expected a refusal with a clear message',
    service: false,
    async run(ctx) {
      const data = tmpDir('corrupt');
      const file = join(data, 'decisions.sqlite');
      let svc = await ctx.start({ data });
      const counts = new Counts();
      await fillLog(svc.port, 4_000, 'fill', counts);
      await ctx.stopCurrent();
      const backup = join(tmpDir('corrupt-backup'), 'decisions.sqlite');
      copyFileSync(file, backup);
      const size = statSync(file).size;
      const page = 4_096;
      const at = Math.floor(size / 2 / page) * page;
      const fd = openSync(file, 'r+');
      const junk = Buffer.alloc(page * 4);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 7 + 13) & 0xff;
      writeSync(fd, junk, 0, junk.length, at);
      closeSync(fd);
      let outcome;
      try {
        svc = await ctx.start({ data, startTimeoutMs: 15_000 });
        const d = await post(svc.port, event('after-corruption', 1));
        const q = await req(svc.port, { path: '/v1/log?limit=1000', headers: adminHeaders });
        outcome = { started: true, decision: d.status, query: q.status };
        counts.add('started').add(`decision:${d.status}`).add(`log-query:${q.status}`);
        await ctx.stopCurrent();
      } catch (e) {
        outcome = { started: false, message: e.message };
        counts.add('refused');
      }
      // Back to the good file: the recovery check runs on the log as it was.
      copyFileSync(backup, file);
      await ctx.start({ data });
      const clear = !outcome.started && /corrupt|damaged|malformed|integrity/i.test(outcome.message);
      return {
        did: `${(junk.length / 1024).toFixed(0)} KiB overwritten at ${(at / 1024).toFixed(0)} KiB of ${(size / 1024).toFixed(0)} KiB; ${outcome.started ? `it started (decision ${outcome.decision}, log query ${outcome.query})` : `refused: ${outcome.message.slice(0, 160)}`}`,
        counts,
        ok: clear,
        why: outcome.started ? 'the service started on a corrupt log' : 'it refused, but without naming the corruption',
      };
    },
  },
];

await runScenarios('chaos scenarios', scenarios, argv, { kills: { type: 'string', default: '20' }, seed: { type: 'string', default: String(Date.now()) }, pg: { type: 'string' } });
// Nothing may keep the process once the table is out.
setTimeout(() => process.exit(), 100).unref();
