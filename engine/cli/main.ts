// The `tiaoli` command line.
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { loadPolicyDir, PolicyLoadError, readPolicyDir, SHIPPED_POLICIES } from '../load.js';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Lang } from '../../language/glossary.js';
import { explain, renderExplanation } from '../explain.js';
import { validate } from '../validate.js';
import { readEvents } from './events.js';
import { loadOrReport, refusal } from './policies.js';
import { BACKENDS, decideFile, isBackend } from './decide.js';
import type { DecisionLog } from '../log/log.js';

const usageWith = (audit: string, log: string) => `usage:
  tiaoli decide [--policies DIR] [--log DB] [--explain] [--lang zh|en] [--backend compiled|jre] FILE|-
                                                     decide events (a JSON array or JSON Lines); one line per event
  tiaoli explain [--policies DIR] [--lang zh|en] FILE|-   why each event is decided so, and what would make it allowed
  tiaoli check [DIR] [--json]                        check policy files; exit 1 on any error
  tiaoli analyze [DIR] [--json]                      semantic analysis (Z3): rules that never fire, rules others cover,
                                                     outcomes that contradict; exit 1 on an error or warning
  tiaoli analyze [DIR] --against OLD [--json]        what changes from the policies in OLD to DIR: a proof that no
                                                     decision does, or a witness event per kind of change (exit 1)
  tiaoli fmt [--check] [PATH…]                       format policy files in place; --check lists unformatted ones, exit 1
  tiaoli test [--coverage] [--verbose] [--policies DIR] [PATH]  run the YAML policy tests (*.test.yaml)
  tiaoli articles [--json] [--policies DIR]          every article: status, rules and test cases
  tiaoli schema [--policies DIR] [--out DIR]         write the vocabulary's Event and Decision JSON Schemas
  tiaoli types [--policies DIR] [--out FILE]         the vocabulary's TypeScript declarations (events, codes)
  tiaoli lsp [DIR]                                   the language server for editors, over stdio (DIR: else the editor's folder)
  tiaoli serve                                       the HTTP service (PORT, TIAOLI_DATA, TIAOLI_ADMIN_TOKEN, TIAOLI_POLICIES, TIAOLI_LOG_URL)
  tiaoli keygen --out PREFIX                         a new Ed25519 key pair: PREFIX.key (private, mode 600) and PREFIX.pub
  tiaoli sign DIR --key PRIV [--signer NAME] [--out FILE]   sign the digest of the policies in DIR (a revision the service
                                                     then activates when TIAOLI_POLICY_PUBLIC_KEY is its public half)
${audit}
${log}

The shipped policies are used when no directory is given.`;
/** The usage text: the audit and log commands' parts come with their modules, loaded only when needed. */
const usage = async (): Promise<string> => usageWith((await import('./audit.js')).AUDIT_USAGE, (await import('./log.js')).LOG_USAGE);

// Commands other than decide, check and explain load their modules when run: `tiaoli decide` starts
// without the HTTP service, the decision log, the audit tools, the formatter, the YAML tests or Z3.
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    // A policy tree the loader refuses (a link out of it, a loop, a FIFO, too much): one line, exit 2.
    if (!(e instanceof PolicyLoadError)) throw e;
    process.stderr.write(`${refusal(`tiaoli ${argv[0]}`, e)}\n`);
    return 2;
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'replay':
      return (await import('./audit.js')).replayCommand(rest);
    case 'diff':
      return (await import('./audit.js')).diffCommand(rest);
    case 'audit':
      return (await import('./audit.js')).auditCommand(rest);
    case 'log':
      return (await import('./log.js')).logCommand(rest);
    case 'keygen':
      return (await import('./keys.js')).keygenCommand(rest);
    case 'sign':
      return (await import('./keys.js')).signCommand(rest);
    case 'decide':
      return decideCommand(rest);
    case 'check':
      return checkCommand(rest);
    case 'analyze':
      return (await import('./analyze.js')).analyzeCommand(rest);
    case 'fmt':
      return (await import('./fmt.js')).fmtCommand(rest);
    case 'schema':
      return (await import('./generate.js')).schemaCommand(rest);
    case 'types':
      return (await import('./generate.js')).typesCommand(rest);
    case 'explain':
      return explainCommand(rest);
    case 'lsp':
      return (await import('./lsp.js')).lspCommand(rest);
    case 'articles': {
      const { values } = parseArgs({ args: [...rest], options: { json: { type: 'boolean', default: false }, policies: { type: 'string' } } });
      const dir = values.policies ?? SHIPPED_POLICIES;
      const policy = loadOrReport(dir);
      if (!policy) return 2;
      const { articlesWithTests, renderArticles } = await import('./articles.js');
      const rows = articlesWithTests(policy, dir);
      process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : renderArticles(rows));
      return rows.some((r) => r.status === 'missing') ? 1 : 0;
    }
    case 'serve': {
      const { serve, settingsFromEnv } = await import('../server/serve.js');
      return serve(settingsFromEnv());
    }
    case 'test': {
      const { values, positionals } = parseArgs({
        args: [...rest],
        options: { coverage: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, policies: { type: 'string' } },
        allowPositionals: true,
      });
      const { testCommand } = await import('./test.js');
      return testCommand(values.policies ?? SHIPPED_POLICIES, positionals[0], values, (s) => process.stdout.write(s));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${await usage()}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`tiaoli: unknown command '${command}'\n${await usage()}\n`);
      return 2;
  }
}

async function decideCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], options: { policies: { type: 'string' }, log: { type: 'string' }, explain: { type: 'boolean', default: false }, lang: { type: 'string', default: 'en' }, backend: { type: 'string', default: 'compiled' } }, allowPositionals: true });
  if (!isBackend(values.backend)) {
    process.stderr.write(`tiaoli decide: --backend takes ${BACKENDS.join(' or ')}, not ${values.backend}\n`);
    return 2;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`tiaoli decide: name one input file, or - for standard input\n${await usage()}\n`);
    return 2;
  }
  const dir = values.policies ?? SHIPPED_POLICIES;
  const policy = loadOrReport(dir);
  if (!policy) return 2;
  let log: DecisionLog | undefined;
  if (values.log !== undefined) {
    const { activateIfNew, openLog } = await import('../log/open.js');
    log = openLog(values.log);
    await activateIfNew(log, policy.digest, readPolicyDir(dir), new Date());
  }
  const lang = langOf(values.lang);
  if (!lang) return 2;
  const summary = await decideFile(policy, positionals[0]!, process.stdin, process.stdout, { log, explain: values.explain ? lang : undefined, backend: values.backend });
  await log?.close();
  if (summary.errors > 0) process.stderr.write(`tiaoli decide: ${summary.errors} invalid event(s), ${summary.decided} decided\n`);
  return summary.errors > 0 ? 1 : 0;
}

async function checkCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], options: { json: { type: 'boolean' } }, allowPositionals: true });
  const dir = positionals[0] ?? SHIPPED_POLICIES;
  const { diagnostics, sources } = loadPolicyDir(dir, { tests: false });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ files: sources.length, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    process.stdout.write(`${sources.length} files checked: ${errors} error(s), ${diagnostics.length - errors} warning(s)\n`);
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function langOf(value: string | undefined): Lang | undefined {
  if (value === 'zh' || value === 'en') return value;
  process.stderr.write(`tiaoli: --lang takes zh or en, not ${value}\n`);
  return undefined;
}

async function explainCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], options: { policies: { type: 'string' }, lang: { type: 'string', default: 'en' } }, allowPositionals: true });
  const lang = langOf(values.lang);
  if (positionals.length !== 1 || !lang) {
    process.stderr.write(`tiaoli explain: name one input file, or - for standard input\n${await usage()}\n`);
    return 2;
  }
  const policy = loadOrReport(values.policies ?? SHIPPED_POLICIES);
  if (!policy) return 2;
  const input = positionals[0] === '-' ? process.stdin : createReadStream(positionals[0]!);
  let bad = 0;
  for await (const item of readEvents(input as Readable)) {
    const v = item.ok ? validate(policy.checked.vocabulary, item.value) : undefined;
    if (!v?.ok) {
      bad++;
      const why = item.ok ? (v && !v.ok ? v.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : '') : item.message;
      process.stdout.write(`invalid event: ${why}\n\n`);
      continue;
    }
    process.stdout.write(`${renderExplanation(explain(policy, v.event), v.event, lang)}\n\n`);
  }
  return bad > 0 ? 1 : 0;
}
