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
import type { KeyObject } from 'node:crypto';
import { keyId, KeyError, privateKey, publicKey } from '../keys.js';
import type { DecisionLog } from '../log/log.js';
import { activateIfNew, isLogUrl, openLog } from '../log/open.js';
import { makeCheckpoint } from '../log/verify.js';
import { revisionSignatureFrom, revisionSignatureProblem, type RevisionSignature } from '../signed-revision.js';
import { buildService, DEFAULT_LIMITS } from './app.js';

export interface ServeSettings {
  readonly port: number;
  readonly host: string;
  readonly policies: string;
  readonly log: string;
  readonly adminToken?: string;
  /** Start even though the policies lack regulations the revision last in force had. */
  readonly allowDroppedRegulations?: boolean;
  /** The key that signs the log's checkpoints (a PEM file or PEM text); without one none are signed. */
  readonly logKey?: string;
  /** The key replay and diff check checkpoints by; the signing key's public half when not given. */
  readonly logPublicKey?: string;
  /** Seconds between checkpoints. */
  readonly checkpointSeconds: number;
  /** The key revisions must be signed by (a PEM file or PEM text); without one, the admin token alone activates. */
  readonly policyKey?: string;
  /** The file `tiaoli sign` wrote for the policies served from the start; required with a policy key. */
  readonly policiesSignature?: string;
  /** Seconds between looks in the log for a revision activated through another node. */
  readonly followSeconds: number;
  /** The access log's level (pino's: trace … fatal, or silent). */
  readonly logLevel: string;
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
    logKey: env['TIAOLI_LOG_KEY'] || undefined,
    logPublicKey: env['TIAOLI_LOG_PUBLIC_KEY'] || undefined,
    checkpointSeconds: Number(env['TIAOLI_CHECKPOINT_SECONDS'] ?? 60),
    policyKey: env['TIAOLI_POLICY_PUBLIC_KEY'] || undefined,
    policiesSignature: env['TIAOLI_POLICIES_SIGNATURE'] || undefined,
    followSeconds: Number(env['TIAOLI_FOLLOW_SECONDS'] ?? 2),
    logLevel: env['TIAOLI_LOG_LEVEL'] || 'info',
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
  const signing = keyFrom('TIAOLI_LOG_KEY', settings.logKey, privateKey);
  const checking = keyFrom('TIAOLI_LOG_PUBLIC_KEY', settings.logPublicKey ?? (signing ? settings.logKey : undefined), publicKey);
  const policyKey = keyFrom('TIAOLI_POLICY_PUBLIC_KEY', settings.policyKey, publicKey);
  if (signing === null || checking === null || policyKey === null) return 2;
  for (const [name, seconds] of [['TIAOLI_CHECKPOINT_SECONDS', settings.checkpointSeconds], ['TIAOLI_FOLLOW_SECONDS', settings.followSeconds]] as const) {
    if (!(seconds >= 1)) {
      process.stderr.write(`tiaoli serve: ${name} takes a number of seconds from 1, not ${seconds}\n`);
      return 2;
    }
  }
  // Fail closed: with a policy key, the revision served from the start must be signed by it too.
  const signature = policyKey ? startSignature(settings, policyKey, loaded.policy.digest) : undefined;
  if (signature === null) return 2;
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
  await activateIfNew(log, loaded.policy.digest, loaded.sources, new Date(), signature);
  const app = await buildService({ policy: loaded.policy, sources: loaded.sources, tests: loaded.tests, log, adminToken: settings.adminToken, limits: { maxConnections: connectionLimit() }, logPublicKey: checking, policyKey, followSeconds: settings.followSeconds, logger: { level: settings.logLevel } });
  await app.listen({ port: settings.port, host: settings.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  // The banner in one write: whoever waits for the address reads the settings with it.
  const banner = [
    `Tiaoli is serving on http://localhost:${port}/ (policies ${loaded.policy.digest.slice(0, 19)}…, log ${withoutPassword(settings.log)})`,
    ...(settings.adminToken ? [] : ['Admin routes are off; set TIAOLI_ADMIN_TOKEN to turn them on.']),
    policyKey
      ? `Policy revisions are activated only when signed by key ${keyId(policyKey)} (tiaoli sign).`
      : 'Policy revisions are not signed: the admin token alone activates one; set TIAOLI_POLICY_PUBLIC_KEY to require signed revisions.',
    signing ? `Log checkpoints are signed every ${settings.checkpointSeconds} s with key ${keyId(signing)}.` : 'Log checkpoints are off: the chain is kept, but nothing signs it; set TIAOLI_LOG_KEY to sign checkpoints.',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
  const checkpoints = signing ? checkpointing(log, signing, settings.checkpointSeconds) : undefined;

  return new Promise((done) => {
    const stop = async (signal: string) => {
      process.stdout.write(`${signal}: finishing in-flight requests…\n`);
      await app.close();
      // A last checkpoint over what this process wrote, before the log closes.
      await checkpoints?.stop();
      await log.close();
      done(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

/** The signature of the policies served from the start, checked; null (said on stderr) when missing or refused. */
function startSignature(settings: ServeSettings, key: KeyObject, digest: string): RevisionSignature | null {
  const refuse = (why: string) => (process.stderr.write(`tiaoli serve: ${why}\n`), null);
  if (settings.policiesSignature === undefined) return refuse(`TIAOLI_POLICY_PUBLIC_KEY is set, so the policies in ${settings.policies} must be signed: set TIAOLI_POLICIES_SIGNATURE to the file tiaoli sign ${settings.policies} --key PRIV --out FILE wrote`);
  let read: RevisionSignature | string;
  try {
    read = revisionSignatureFrom(JSON.parse(readFileSync(settings.policiesSignature, 'utf8')));
  } catch (e) {
    return refuse(`TIAOLI_POLICIES_SIGNATURE: cannot read ${settings.policiesSignature}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const problem = typeof read === 'string' ? read : revisionSignatureProblem(read, digest, key);
  return problem ? refuse(`TIAOLI_POLICIES_SIGNATURE ${settings.policiesSignature}: ${problem}`) : (read as RevisionSignature);
}

/** The key a setting names; undefined when not set, null (said on stderr) when it cannot be had. */
function keyFrom(name: string, source: string | undefined, read: (source: string) => KeyObject): KeyObject | undefined | null {
  if (source === undefined) return undefined;
  try {
    return read(source);
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    process.stderr.write(`tiaoli serve: ${name}: ${e.message}\n`);
    return null;
  }
}

/** Signs a checkpoint every `seconds` (one at a time); a failure is said on stderr and tried again at the next. */
function checkpointing(log: DecisionLog, key: KeyObject, seconds: number): { stop(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  const sign = () =>
    (last = last
      .then(() => makeCheckpoint(log, key, new Date().toISOString()))
      .then(
        () => undefined,
        (e: Error) => void process.stderr.write(`tiaoli serve: no checkpoint signed: ${e.message}\n`),
      ));
  const timer = setInterval(sign, seconds * 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return sign();
    },
  };
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
