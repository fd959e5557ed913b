// `tiaoli serve` / `npm start`: the service as a process. Reads its settings from the environment,
// opens the log, listens, and on SIGTERM or SIGINT stops accepting, finishes what is in flight and
// closes the log.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { droppedRegulations } from '../../language/check.js';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { checkSources } from '../bundle.js';
import { refusal } from '../cli/policies.js';
import { loadPolicyDir, PolicyLoadError, SHIPPED_POLICIES } from '../load.js';
import { activateIfNew, isLogUrl, openLog } from '../log/open.js';
import { buildService, DEFAULT_LIMITS } from './app.js';

export interface ServeSettings {
  readonly port: number;
  readonly host: string;
  readonly policies: string;
  readonly log: string;
  readonly adminToken?: string;
  /** Start even though the policies lack regulations the revision last in force had. */
  readonly allowDroppedRegulations?: boolean;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServeSettings {
  const data = resolve(env['TIAOLI_DATA'] ?? 'data');
  return {
    port: Number(env['PORT'] ?? 8080),
    host: env['HOST'] ?? '127.0.0.1',
    policies: env['TIAOLI_POLICIES'] ?? SHIPPED_POLICIES,
    log: env['TIAOLI_LOG_URL'] ?? join(data, 'decisions.sqlite'),
    adminToken: env['TIAOLI_ADMIN_TOKEN'] || undefined,
    allowDroppedRegulations: env['TIAOLI_ALLOW_DROPPED_REGULATIONS'] === 'true',
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
  const log = openLog(settings.log, { verify: true });
  // The revision last in force, from the log: starting with fewer regulations is refused unless asked for.
  const last = (await log.revisions()).at(-1);
  const lastSources = last && last.digest !== loaded.policy.digest ? await log.sources(last.digest) : undefined;
  const dropped = lastSources ? droppedRegulations(checkSources(lastSources).checked, loaded.policy.checked) : [];
  if (dropped.length > 0 && !settings.allowDroppedRegulations) {
    for (const d of dropped) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`tiaoli serve: the policies in ${settings.policies} drop regulations the revision last in force (${last!.digest.slice(0, 19)}…) applies; set TIAOLI_ALLOW_DROPPED_REGULATIONS=true if that is meant\n`);
    await log.close();
    return 2;
  }
  await activateIfNew(log, loaded.policy.digest, loaded.sources, new Date());
  const app = await buildService({ policy: loaded.policy, sources: loaded.sources, tests: loaded.tests, log, adminToken: settings.adminToken, limits: { maxConnections: connectionLimit() } });
  await app.listen({ port: settings.port, host: settings.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  process.stdout.write(`Tiaoli is serving on http://localhost:${port}/ (policies ${loaded.policy.digest.slice(0, 19)}…, log ${withoutPassword(settings.log)})\n`);
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

/** A log location fit to print: a URL's password is replaced by stars. */
export function withoutPassword(location: string): string {
  if (!isLogUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * Connections the server keeps open: its default, or fewer when the process may open fewer files,
 * leaving descriptors for the log, the policy files and the connections being turned away. Past
 * the limit the kernel would refuse them (EMFILE) where the service can no longer see why.
 */
function connectionLimit(): number {
  const soft = /^Max open files\s+(\d+)/m.exec(readProcLimits())?.[1];
  return soft === undefined ? DEFAULT_LIMITS.maxConnections : Math.max(16, Math.min(DEFAULT_LIMITS.maxConnections, Number(soft) - 64));
}

const readProcLimits = (): string => {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
};
