// A service for the protection and attack tests: the real app on an ephemeral 127.0.0.1 port, over a
// real SQLite log that can be made slow, as a busy disk is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import { buildService, type Limits, type ServiceOptions } from '../../engine/server/app.js';
import type { Pressure } from '../../engine/server/pressure.js';
import { shippedPolicy } from '../helpers.js';

/** A pressure signal the test sets: the service's own monitor samples the machine, which a test must not depend on. */
export function pressureSignal() {
  let why: string | undefined;
  return {
    set: (reason: string | undefined) => (why = reason),
    pressure: { reason: () => why, reading: () => ({ eventLoopDelayMs: 0, heapUsedBytes: 0, rssBytes: 0 }), stop: () => undefined } satisfies Pressure,
  };
}

/** Never under pressure: a busy test machine (event-loop lag past 200 ms) would otherwise turn a test's requests away. */
export const CALM: Pressure = pressureSignal().pressure;

/** The real service as the tests build it: calm unless the test gives its own pressure. */
export const testService = (options: ServiceOptions) => buildService({ pressure: CALM, ...options });

/** A real log behind a slow disk: each write takes `ms` longer, so requests pile up as under load. */
export class SlowLog extends SqliteLog {
  constructor(file: string, private readonly ms: number) {
    super(file);
  }
  override async append(entries: Parameters<SqliteLog['append']>[0]): ReturnType<SqliteLog['append']> {
    await new Promise((r) => setTimeout(r, this.ms));
    return super.append(entries);
  }
}

/** `log` makes the log (in the directory given) instead of a slow one; `options` go to the service as they are. */
export async function startService<L extends SqliteLog = SlowLog>(
  adminToken: string,
  limits: Partial<Limits> = {},
  slowLogMs = 0,
  { log: makeLog, ...options }: { log?: (file: string) => L } & Partial<Omit<ServiceOptions, 'log'>> = {},
) {
  const file = join(mkdtempSync(join(tmpdir(), 'tiaoli-svc-')), 'log.sqlite');
  const log = makeLog ? makeLog(file) : new SlowLog(file, slowLogMs);
  const app = await testService({ policy: shippedPolicy(), sources: readPolicyDir(SHIPPED_POLICIES), log, adminToken, limits, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { port, url: `http://127.0.0.1:${port}`, log, stop: async () => (await app.close(), await log.close()) };
}
