// A production install: the built package packed as npm would publish it, installed without its
// devDependencies into an empty project, serves the shipped policies and decides. A runtime import
// of a devDependency, or a file the package leaves out, fails here. The install reads the local npm
// cache first (--prefer-offline); where the registry is unreachable for the rest it is skipped with
// the reason, except under CI=true, where it fails.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { event } from '../helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIG = 256 * 1024 * 1024;
/** What npm says when it cannot reach the registry. */
const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|network request to)\b/;

describe('a production install of the packed package', () => {
  it('installs without devDependencies, serves the shipped policies and decides', { timeout: 900_000 }, async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-install-'));
    try {
      // The dist/ built by npm run build, as published; prepare is not run again.
      const packed = JSON.parse((await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: BIG })).stdout) as { filename: string }[];
      const app = join(dir, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tiaoli-consumer', private: true }));
      let installing;
      try {
        // Native addons are built against the headers of the Node running this test (npm's own nodedir
        // may be another's: CI runs this file on Node 20 and again on Node 24).
        const nodedir = dirname(dirname(process.execPath));
        installing = await run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', `--nodedir=${nodedir}`, join(dir, packed[0]!.filename)], { cwd: app, maxBuffer: BIG });
      } catch (e) {
        const why = NETWORK.exec(String((e as { stderr?: string }).stderr ?? (e as Error).message))?.[0];
        if (why && process.env['CI'] !== 'true') return ctx.skip(`the npm registry is unreachable (${why})`);
        throw e;
      }
      // No package of the install refuses this Node (fastify's inject helper once pulled in cookie 2, for Node 22).
      expect(installing.stderr).not.toMatch(/EBADENGINE/);
      const installed = join(app, 'node_modules');
      const dev = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
      expect(dev.filter((name) => ['vitest', 'typescript', 'vite', 'openapi-typescript', 'monaco-editor'].includes(name) && existsSync(join(installed, name)))).toEqual([]);
      // The typed client loads from the installed package (its runtime, openapi-fetch, is a dependency).
      const client = await run(process.execPath, ['--input-type=module', '-e', "const { TiaoliClient } = await import('tiaoli/client'); console.log(typeof TiaoliClient)"], { cwd: app });
      expect(client.stdout.trim()).toBe('function');

      const server = spawn(process.execPath, [join(installed, 'tiaoli', 'bin', 'tiaoli.js'), 'serve'], {
        cwd: app,
        // The package's own policies and settings only: none of this process's TIAOLI_ settings.
        env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TIAOLI_'))), PORT: '0', HOST: '127.0.0.1', TIAOLI_DATA: join(dir, 'data'), TIAOLI_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      try {
        const port = await new Promise<string>((resolve, reject) => {
          const seen = (chunk: Buffer) => {
            output += chunk.toString();
            const m = /serving on http:\/\/localhost:(\d+)\//.exec(output);
            if (m) resolve(m[1]!);
          };
          server.stdout.on('data', seen);
          server.stderr.on('data', seen);
          void exited.then((code) => reject(new Error(`tiaoli serve ended (${code}): ${output}`)));
        });
        const res = await fetch(`http://127.0.0.1:${port}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('content.publish', { id: 'installed-1' })) });
        expect(res.status, output).toBe(200);
        expect(await res.json()).toMatchObject({ eventId: 'installed-1', allowed: expect.any(Boolean) });
      } finally {
        server.kill('SIGTERM');
        await exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
