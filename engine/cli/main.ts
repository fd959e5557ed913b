// The `tiaoli` command line, on commander: each command's options and arguments declared once, from
// which come its --help (with examples), "did you mean" for a mistyped command or option, and the
// refusal of anything it does not take. The commands' modules are loaded when run: `tiaoli decide`
// starts without the HTTP service, the decision log, the audit tools, the formatter, the YAML tests or Z3.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, formatDiagnosticIn } from '../../language/diagnostics.js';
import { eventIdOf } from '../decide.js';
import { explain, renderExplanation } from '../explain.js';
import { loadPolicyDir, packageVersion, PolicyLoadError, readPolicyDir, SHIPPED_POLICIES } from '../load.js';
import type { DecisionLog } from '../log/log.js';
import { validate } from '../validate.js';
import { BACKENDS, decideFile, type Backend } from './decide.js';
import { readEvents } from './events.js';
import { auditCommands, logCommands } from './commands.js';
import { fileErrorLine, inputOf, isFileError, locatedIn, UsageError } from './paths.js';
import { loadOrReport, policiesOf, refusal } from './policies.js';

const LANGS = ['en', 'zh'] as const;
type Lang = (typeof LANGS)[number];

/** The exit status of a command line commander refuses (unknown command or option, missing argument). */
const USAGE = 2;

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
const policiesOption = () => new Option('--policies <dir>', 'the policy directory (default: the shipped policies)');
const langOption = () => new Option('--lang <lang>', 'the language of explanations').choices(LANGS).default('en');

/** Runs the command line; resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let status = 0;
  const program = new Command('tiaoli');
  /** A command's action: its status kept, its refusals (a policy tree, a file, a usage) one line each. */
  const act =
    <A extends unknown[]>(run: (...args: A) => Promise<number> | number) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const name = ['tiaoli', ...ancestry(command)].join(' ');
      try {
        status = await run(...(args.slice(0, -1) as A));
      } catch (e) {
        if (e instanceof UsageError) command.error(`error: ${e.message}`, { exitCode: USAGE, code: 'tiaoli.usage' });
        if (e instanceof PolicyLoadError) process.stderr.write(`${refusal(name, e)}\n`);
        else if (isFileError(e)) process.stderr.write(`${fileErrorLine(name, e)}\n`);
        else throw e;
        status = 2;
      }
    };

  program
    .description('Regulations as code for Chinese internet content law: decide events, check and test policies, audit the decision log.')
    .version(packageVersion(), '-V, --version', 'the version of tiaoli')
    .helpOption('-h, --help', 'this help; `tiaoli COMMAND --help` for a command')
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\nThe shipped policies are used when no policy directory is given. Exit status: 0 fine, 1 findings (failed cases, changed\ndecisions, invalid events), 2 bad usage or what cannot be had (a file, a log, policies that do not compile).`);

  program
    .command('decide')
    .summary('decide events, one JSON line each')
    .description('Decide events (a JSON array or JSON Lines, from FILE or - for standard input): one JSON line per event, in input order.')
    .argument('<file>', 'the events, or - for standard input')
    .addOption(policiesOption())
    .option('--log <db>', 'log each decision to this decision log (a SQLite file or postgres:// URL), created if need be')
    .option('--explain', 'add an explanation to each decision')
    .addOption(langOption())
    .addOption(new Option('--backend <name>', 'which engine decides').choices(BACKENDS).default('compiled'))
    .addHelpText('after', examples('tiaoli decide events.jsonl', 'tiaoli decide --explain --lang zh - < event.json', 'tiaoli decide --log decisions.sqlite --policies ./policies events.jsonl'))
    .action(act(decideCommand));

  program
    .command('explain')
    .summary('why each event is decided so, and what would make it allowed')
    .argument('<file>', 'the events, or - for standard input')
    .addOption(policiesOption())
    .addOption(langOption())
    .option('--json', 'one JSON line per event: its id, the decision, the explanation and its remedies')
    .addHelpText('after', examples('tiaoli explain event.json', 'tiaoli explain --lang zh --json events.jsonl'))
    .action(act(explainCommand));

  program
    .command('check')
    .summary('check policy files; exit 1 on any error')
    .argument('[dir]', 'the policy directory (or --policies DIR)')
    .addOption(policiesOption())
    .option('--json', 'the diagnostics as JSON (each with message and messageZh, help and helpZh)')
    .addOption(new Option('--lang <lang>', 'the language of the messages and help').choices(LANGS).default('en'))
    .addHelpText('after', examples('tiaoli check', 'tiaoli check --lang zh', 'tiaoli check --policies ./policies --json'))
    .action(act(checkCommand));

  program
    .command('analyze')
    .summary('semantic analysis (Z3), or what changes between two revisions')
    .description(
      'Without --base: rules that never fire, rules others cover, outcomes that contradict (exit 1 on an error or warning).\n' +
        'With --base OLD: what changes from the policies in OLD to those in --head (default: --policies, else the shipped ones): a proof that no decision does, or a witness event per kind of change (exit 1).',
    )
    .argument('[dir]', 'the policy directory to analyse (or --policies DIR)')
    .addOption(policiesOption())
    .option('--base <dir>', 'compare: the revision before')
    .option('--head <dir>', 'compare: the revision after (default: the policy directory)')
    .option('--json', 'the findings, or the changes with before and after values, as JSON')
    .addHelpText('after', examples('tiaoli analyze --policies ./policies', 'tiaoli analyze --base ./policies-r1 --head ./policies-r2 --json'))
    .action(act(async (dir: string | undefined, o: { policies?: string; base?: string; head?: string; json?: boolean }) => (await import('./analyze.js')).analyzeCommand({ ...o, dir })));

  program
    .command('fmt')
    .summary('format policy files in the canonical layout')
    .description('Rewrite the named policy files, or those of the named directories, in the canonical layout. `-` reads one file from standard input and writes it formatted to standard output.')
    .argument('<path...>', 'files or directories to format, or - for standard input')
    .option('--check', 'rewrite nothing: list the files not formatted, exit 1 if any')
    .option('--diff', 'rewrite nothing: print what formatting would change, as a unified diff; exit 1 if anything')
    .addHelpText('after', examples('tiaoli fmt policies/', 'tiaoli fmt --check policies/', 'tiaoli fmt --diff policies/live-2016/article-12.tiaoli', 'tiaoli fmt - < article-12.tiaoli'))
    .action(act(async (paths: string[], o: { check?: boolean; diff?: boolean }) => (await import('./fmt.js')).fmtCommand(paths, o)));

  program
    .command('test')
    .summary('run the YAML policy tests (*.test.yaml)')
    .argument('[path]', 'only the tests of this file or directory of the policy tree')
    .addOption(policiesOption())
    .option('--coverage', 'the rules no case made fire, and per article; exit 1 if any')
    .option('--verbose', 'list passing cases too')
    .addOption(new Option('--format <format>', 'text, a JSON report, or JUnit XML for CI systems').choices(['text', 'json', 'junit']).default('text'))
    .addHelpText('after', examples('tiaoli test', 'tiaoli test policies/live-2016/article-16.test.yaml', 'tiaoli test --policies ./policies --format junit > junit.xml'))
    .action(act(async (path: string | undefined, o: { policies?: string; coverage?: boolean; verbose?: boolean; format: 'text' | 'json' | 'junit' }) => (await import('./test.js')).testCommand(o.policies ?? SHIPPED_POLICIES, path, o, (s) => process.stdout.write(s))));

  program
    .command('articles')
    .summary('every article: status, rules and test cases')
    .addOption(policiesOption())
    .option('--json', 'the rows as JSON')
    .addHelpText('after', examples('tiaoli articles', 'tiaoli articles --json'))
    .action(act(articlesCommand));

  program
    .command('schema')
    .summary("write the vocabulary's Event and Decision JSON Schemas")
    .addOption(policiesOption())
    .option('--out <dir>', 'the directory to write event.schema.json and decision.schema.json into', '.')
    .addHelpText('after', examples('tiaoli schema --out schemas/'))
    .action(act(async (o: { policies?: string; out: string }) => (await import('./generate.js')).schemaCommand(o)));

  program
    .command('types')
    .summary("the vocabulary's TypeScript declarations (events, codes)")
    .addOption(policiesOption())
    .option('--out <file>', 'write them to FILE instead of standard output')
    .addHelpText('after', examples('tiaoli types --out src/tiaoli-contract.ts'))
    .action(act(async (o: { policies?: string; out?: string }) => (await import('./generate.js')).typesCommand(o)));

  program
    .command('lsp')
    .summary('the language server for editors, over stdio')
    .argument('[dir]', "the policy directory (or --policies DIR; else the editor's workspace folder)")
    .addOption(policiesOption())
    .option('--stdio', 'talk over standard input and output (the only transport; editors pass it)')
    // Editors' language clients add options of their own (--clientProcessId=…).
    .allowUnknownOption()
    .addHelpText('after', examples('tiaoli lsp ./policies --stdio'))
    .action(act(async (dir: string | undefined, o: { policies?: string }) => (await import('./lsp.js')).lspCommand(dir === undefined && o.policies === undefined ? undefined : policiesOf(dir, o.policies))));

  program
    .command('serve')
    .summary('the HTTP service')
    .description('The HTTP service, configured by its environment: PORT, TIAOLI_DATA, TIAOLI_POLICIES, TIAOLI_LOG_URL, TIAOLI_ADMIN_TOKEN, TIAOLI_POLICY_PUBLIC_KEY and the others the README lists.')
    .addHelpText('after', examples('PORT=8080 TIAOLI_POLICIES=./policies tiaoli serve'))
    .action(
      act(async () => {
        const { serve, settingsFromEnv } = await import('../server/serve.js');
        return serve(settingsFromEnv());
      }),
    );

  program
    .command('keygen')
    .summary('a new Ed25519 key pair: PREFIX.key (private, mode 600) and PREFIX.pub')
    .requiredOption('--out <prefix>', 'where to write the keys: PREFIX.key and PREFIX.pub (never overwritten)')
    .addHelpText('after', examples('tiaoli keygen --out keys/policy'))
    .action(act(async (o: { out: string }) => (await import('./keys.js')).keygenCommand(o.out)));

  program
    .command('sign')
    .summary('sign the digest of a policy directory')
    .description('Sign the digest of the policies in DIR: a revision the service activates when TIAOLI_POLICY_PUBLIC_KEY is the public half of the key.')
    .argument('[dir]', 'the policy directory (or --policies DIR)')
    .addOption(policiesOption())
    .requiredOption('--key <priv>', 'the private key (tiaoli keygen makes one)')
    .option('--signer <name>', 'who signs (default: the user name)')
    .option('--out <file>', 'write the signature to FILE instead of standard output')
    .addHelpText('after', examples('tiaoli sign ./policies --key keys/policy.key --out policies.sig'))
    .action(act(async (dir: string | undefined, o: { policies?: string; key: string; signer?: string; out?: string }) => (await import('./keys.js')).signCommand(policiesOf(dir, o.policies), o)));

  auditCommands(program, act);
  logCommands(program, act);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // --help and --version end with 0; `tiaoli` alone, with its usage, and every refusal with 2.
    return e.exitCode === 0 ? 0 : USAGE;
  }
}

/** The command's names from the top: `log verify`. */
const ancestry = (c: Command): string[] => (c.parent ? [...ancestry(c.parent), c.name()] : []);

/** What every command's action is handed: `act(run)` keeps run's status and reports its refusals. */
export type Act = <A extends unknown[]>(run: (...args: A) => Promise<number> | number) => (...args: unknown[]) => Promise<void>;

async function decideCommand(file: string, o: { policies?: string; log?: string; explain?: boolean; lang: Lang; backend: Backend }): Promise<number> {
  const dir = o.policies ?? SHIPPED_POLICIES;
  const policy = loadOrReport(dir, 'tiaoli decide');
  if (!policy) return 2;
  let log: DecisionLog | undefined;
  if (o.log !== undefined) {
    const { activateIfNew, openLog } = await import('../log/open.js');
    log = openLog(o.log);
    await activateIfNew(log, policy.digest, readPolicyDir(dir), new Date());
  }
  try {
    const summary = await decideFile(policy, file, process.stdin, process.stdout, { log, explain: o.explain ? o.lang : undefined, backend: o.backend });
    if (summary.errors > 0) process.stderr.write(`tiaoli decide: ${summary.errors} invalid event(s), ${summary.decided} decided\n`);
    return summary.errors > 0 ? 1 : 0;
  } finally {
    await log?.close();
  }
}

function checkCommand(dirArg: string | undefined, o: { policies?: string; json?: boolean; lang: Lang }): number {
  const dir = policiesOf(dirArg, o.policies);
  const { diagnostics: found, sources } = loadPolicyDir(dir, { tests: false });
  const diagnostics = found.map((d) => locatedIn(dir, d));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ files: sources.length, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) process.stdout.write(`${formatDiagnosticIn(d, o.lang)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    process.stdout.write(o.lang === 'zh' ? `已检查 ${sources.length} 个文件：${errors} 个错误，${warnings} 个警告\n` : `${sources.length} files checked: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

async function articlesCommand(o: { policies?: string; json?: boolean }): Promise<number> {
  const dir = o.policies ?? SHIPPED_POLICIES;
  const policy = loadOrReport(dir, 'tiaoli articles');
  if (!policy) return 2;
  const { articlesWithTests, renderArticles } = await import('./articles.js');
  const rows = articlesWithTests(policy, dir);
  process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : renderArticles(rows));
  return rows.some((r) => r.status === 'missing') ? 1 : 0;
}

/** An explanation per event; with --json what `decide --explain` prints: an invalid event keeps its id either way. */
async function explainCommand(file: string, o: { policies?: string; lang: Lang; json?: boolean }): Promise<number> {
  const policy = loadOrReport(o.policies ?? SHIPPED_POLICIES, 'tiaoli explain');
  if (!policy) return 2;
  if (o.json) return (await decideFile(policy, file, process.stdin, process.stdout, { explain: o.lang })).errors > 0 ? 1 : 0;
  let bad = 0;
  for await (const item of readEvents(inputOf(file))) {
    const v = item.ok ? validate(policy.checked.vocabulary, item.value) : undefined;
    if (!v?.ok) {
      bad++;
      const id = item.ok ? eventIdOf(item.value) : null;
      const why = v && !v.ok ? v.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : item.ok ? '' : item.message;
      process.stdout.write(`invalid event${id === null ? '' : ` ${id}`}: ${why}\n\n`);
      continue;
    }
    process.stdout.write(`${renderExplanation(explain(policy, v.event), v.event, o.lang)}\n\n`);
  }
  return bad > 0 ? 1 : 0;
}
