// `tiaoli serve` / `npm start`: the service as a process. Reads its settings from the environment,
// opens the log, listens, and on SIGTERM or SIGINT stops accepting, finishes what is in flight and
// closes the log.
import { join, resolve } from 'node:path';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { refusal } from '../cli/policies.js';
import { loadPolicyDir, PolicyLoadError, SHIPPED_POLICIES } from '../load.js';
import { activateIfNew, openLog } from '../log/open.js';
import { buildService } from './app.js';

export interface ServeSettings {
  readonly port: number;
  readonly host: string;
  readonly policies: string;
  readonly log: string;
  readonly adminToken?: string;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServeSettings {
  const data = resolve(env['TIAOLI_DATA'] ?? 'data');
  return {
    port: Number(env['PORT'] ?? 8080),
    host: env['HOST'] ?? '127.0.0.1',
    policies: env['TIAOLI_POLICIES'] ?? SHIPPED_POLICIES,
    log: env['TIAOLI_LOG_URL'] ?? join(data, 'decisions.sqlite'),
    adminToken: env['TIAOLI_ADMIN_TOKEN'] || undefined,
  };
}

export async function serve(settings: ServeSettings): Promise<number> {
  // Fail closed: a tree the loader refuses or that does not compile (no regulation, say) is not served.
  let loaded;
  try {
    loaded = loadPolicyDir(settings.policies);
  } catch (e) {
    if (!(e instanceof PolicyLoadError)) throw e;
    process.stderr.write(`${refusal('tiaoli serve', e)}\n`);
    return 2;
  }
  if (!loaded.policy) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`tiaoli serve: the policies in ${settings.policies} do not compile\n`);
    return 2;
  }
  const log = openLog(settings.log);
  await activateIfNew(log, loaded.policy.digest, loaded.sources, new Date());
  const app = await buildService({ policy: loaded.policy, sources: loaded.sources, tests: loaded.tests, log, adminToken: settings.adminToken });
  await app.listen({ port: settings.port, host: settings.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  process.stdout.write(`Tiaoli is serving on http://localhost:${port}/ (policies ${loaded.policy.digest.slice(0, 19)}…, log ${settings.log})\n`);
  if (!settings.adminToken) process.stdout.write('Admin routes are off; set TIAOLI_ADMIN_TOKEN to turn them on.\n');

  return new Promise((done) => {
    const stop = async (signal: string) => {
      process.stdout.write(`${signal}: finishing in-flight requests…\n`);
      await app.close();
      await log.close();
      done(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
