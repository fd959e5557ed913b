// The `tiaoli` command line.
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { loadPolicyDir, readPolicyDir, SHIPPED_POLICIES } from '../load.js';
import { activateIfNew, openLog } from '../log/open.js';
import { serve, settingsFromEnv } from '../server/serve.js';
import { decideFile } from './decide.js';
import { testCommand } from './test.js';

const USAGE = `usage:
  tiaoli decide [--policies DIR] [--log DB] FILE|-   decide events (a JSON array or JSON Lines); one line per event
  tiaoli check [DIR] [--json]                        check policy files; exit 1 on any error
  tiaoli test [--coverage] [--verbose] [--policies DIR] [PATH]  run the YAML policy tests (*.test.yaml)
  tiaoli serve                                       the HTTP service (PORT, TIAOLI_DATA, TIAOLI_ADMIN_TOKEN, TIAOLI_POLICIES)

The shipped policies are used when no directory is given.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'decide':
      return decideCommand(rest);
    case 'check':
      return checkCommand(rest);
    case 'serve':
      return serve(settingsFromEnv());
    case 'test': {
      const { values, positionals } = parseArgs({
        args: [...rest],
        options: { coverage: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, policies: { type: 'string' } },
        allowPositionals: true,
      });
      return testCommand(values.policies ?? SHIPPED_POLICIES, positionals[0], values, (s) => process.stdout.write(s));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`tiaoli: unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}

function loadOrReport(dir: string) {
  const loaded = loadPolicyDir(dir);
  if (!loaded.policy) {
    for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`tiaoli: the policies in ${dir} do not compile\n`);
  }
  return loaded.policy;
}

async function decideCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], options: { policies: { type: 'string' }, log: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) {
    process.stderr.write(`tiaoli decide: name one input file, or - for standard input\n${USAGE}\n`);
    return 2;
  }
  const dir = values.policies ?? SHIPPED_POLICIES;
  const policy = loadOrReport(dir);
  if (!policy) return 2;
  const log = values.log === undefined ? undefined : openLog(values.log);
  if (log) await activateIfNew(log, policy.digest, readPolicyDir(dir), new Date());
  const summary = await decideFile(policy, positionals[0]!, process.stdin, process.stdout, log);
  await log?.close();
  if (summary.errors > 0) process.stderr.write(`tiaoli decide: ${summary.errors} invalid event(s), ${summary.decided} decided\n`);
  return summary.errors > 0 ? 1 : 0;
}

async function checkCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], options: { json: { type: 'boolean' } }, allowPositionals: true });
  const dir = positionals[0] ?? SHIPPED_POLICIES;
  const { diagnostics, sources } = loadPolicyDir(dir);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ files: sources.length, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    process.stdout.write(`${sources.length} files checked: ${errors} error(s), ${diagnostics.length - errors} warning(s)\n`);
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
