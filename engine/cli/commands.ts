// The audit and decision-log commands' declarations (their options, arguments and help), apart from
// their code, which is loaded only when one of them runs.
import { Option, type Command } from 'commander';
import type { DiffOptions, MergeOptions, ReplayOptions } from './audit.js';
import type { CheckpointOptions, CheckProofOptions, LogOptions, ProveOptions, RetainOptions, VerifyOptions } from './log.js';
import type { Act } from './main.js';

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
const collect = (value: string, previous: string[] = []) => [...previous, value];
const logOption = () => new Option('--log <db>', 'the decision log: a SQLite file or a postgres:// URL (default: TIAOLI_LOG_URL); it must exist');

/** The options that choose logged events and say how to report them, shared by replay and diff. */
function selection(c: Command): Command {
  return c
    .option('--from <time>', 'events from this time: a date (YYYY-MM-DD, the day from 00:00 China Standard Time) or an RFC 3339 time with its offset')
    .option('--to <time>', 'events to this time: a date (to the end of that day in Beijing) or an RFC 3339 time with its offset')
    .option('--type <type>', 'only events of this type (one the vocabulary declares)')
    .option('--id <id>', 'only the event with this id (repeat for more)', collect)
    .option('--allow-empty', 'succeed when the selection matches no event (else an error, exit 2)')
    .option('--report <file.html>', 'also write an HTML report: what was compared, a summary by kind of change, charts, the changed decisions, the diff of the policy source, the articles')
    .addOption(new Option('--lang <lang>', 'the language of the HTML report').choices(['zh', 'en']).default('zh'))
    .option('--json <file>', 'also write the provenance (revisions, selection, events, time, tool), the summary and the changes by kind as one JSON document')
    .option('--key <pub>', "check the log's checkpoint signatures with this public key (default: TIAOLI_LOG_PUBLIC_KEY)")
    .option('--flag-unverified', 'audit a log that does not verify anyway, the problem as the first error')
    .option('--shard <i/n>', "only the entries whose seq modulo N is I-1: a partial result for tiaoli audit merge");
}

export function auditCommands(program: Command, act: Act): void {
  const audit = () => import('./audit.js');
  selection(
    program
      .command('replay')
      .summary('re-decide logged events and report what changed')
      .description(
        'Re-decide logged events: against the revision that decided each (its decision must be reproduced byte for byte), or against one other revision (--revision, --policies). JSON Lines of the changes, then a summary line. The log is verified first and refused when it does not verify.',
      )
      .addOption(logOption())
      .option('--revision <digest>', 'decide against this logged revision: its sha256 digest, or the start of it as tiaoli serve prints it')
      .option('--policies <dir>', 'decide against the policies in this directory'),
  )
    .addHelpText('after', examples('tiaoli replay --log decisions.sqlite', 'tiaoli replay --log decisions.sqlite --policies ./policies --from 2019-03-01 --to 2019-03-31 --type content.publish', 'tiaoli replay --log decisions.sqlite --revision sha256:1f2e3d4c5b6a --report replay.html --lang en'))
    .action(act(async (o: ReplayOptions) => (await audit()).replayCommand(o)));

  selection(
    program
      .command('diff')
      .summary('the decisions that differ between two revisions')
      .description('Decide events under revisions BASE and HEAD (directories, or digests of revisions in the log) and report the decisions that differ: events from a file, standard input (-) or the decision log (--log).')
      .argument('[events]', 'the events (a JSON array or JSON Lines), or - for standard input; or --log DB')
      .requiredOption('--base <revision>', 'the revision before: a policy directory, or a digest in the log')
      .requiredOption('--head <revision>', 'the revision after: a policy directory, or a digest in the log')
      .option('--log <db>', 'the events of this decision log (a SQLite file or a postgres:// URL); it must exist'),
  )
    .addHelpText('after', examples('tiaoli diff --base ./policies-r1 --head ./policies-r2 events.jsonl', 'tiaoli diff --base sha256:1f2e3d4c5b6a --head ./policies --log decisions.sqlite --from 2019-03-01 --report diff.html --json diff.json'))
    .action(act(async (events: string | undefined, o: DiffOptions) => (await audit()).diffCommand(events, o)));

  program
    .command('audit')
    .summary('work on audit results')
    .command('merge')
    .summary('merge the partial results of a sharded run')
    .description('The partial results of shards 1…N of one run (--shard I/N), merged into what the unsharded run prints, byte for byte; with --report, the HTML report the unsharded run writes.')
    .argument('<partial...>', 'the files the shards printed')
    .option('--report <file.html>', 'also write the HTML report of the whole run')
    .option('--json <file>', 'also write the JSON document of the whole run')
    .addOption(new Option('--lang <lang>', 'the language of the HTML report').choices(['zh', 'en']).default('zh'))
    .option('--log <db>', 'the log the shards read (default: TIAOLI_LOG_URL): the report names it and quotes its revisions')
    .addHelpText('after', examples('tiaoli audit merge shard-1.jsonl shard-2.jsonl shard-3.jsonl', 'tiaoli audit merge shard-*.jsonl --report replay.html --log decisions.sqlite'))
    .action(act(async (files: string[], o: MergeOptions) => (await audit()).mergeCommand(files, o)));
}

export function logCommands(program: Command, act: Act): void {
  const log = () => import('./log.js');
  const group = program.command('log').summary('verify the decision log, sign and prove its entries');
  group
    .command('verify')
    .summary("check every entry's chain hash and every checkpoint")
    .description("Check every entry's chain hash and every checkpoint (their signatures with --key or TIAOLI_LOG_PUBLIC_KEY); names the first entry altered, deleted, inserted or moved.")
    .addOption(logOption())
    .option('--key <pub>', 'the public key checkpoints are signed with (default: TIAOLI_LOG_PUBLIC_KEY)')
    .option('--head <file>', 'a published tree head (a line tiaoli log checkpoints printed) the log must extend (repeat for more)', collect)
    .option('--json', 'the verification as JSON')
    .addHelpText('after', examples('tiaoli log verify --log decisions.sqlite --key keys/log.pub'))
    .action(act(async (o: VerifyOptions) => (await log()).verifyCommand(o)));
  group
    .command('checkpoint')
    .summary('sign a tree head over every entry so far and store it')
    .addOption(logOption())
    .option('--key <priv>', 'the private key to sign with (default: TIAOLI_LOG_KEY)')
    .addHelpText('after', examples('tiaoli log checkpoint --log decisions.sqlite --key keys/log.key'))
    .action(act(async (o: CheckpointOptions) => (await log()).checkpointCommand(o)));
  group
    .command('checkpoints')
    .summary('the stored checkpoints, one JSON line each: tree heads to publish')
    .addOption(logOption())
    .action(act(async (o: LogOptions) => (await log()).checkpointsCommand(o)));
  group
    .command('prove')
    .summary('an inclusion proof of an entry under the last checkpoint')
    .argument('<seq>', "the entry's seq (a whole number from 1)")
    .addOption(logOption())
    .option('--size <n>', 'under the stored checkpoint of this size instead of the last')
    .addHelpText('after', examples('tiaoli log prove 42 --log decisions.sqlite > proof.json'))
    .action(act(async (seq: string, o: ProveOptions) => (await log()).proveCommand(seq, o)));
  group
    .command('retain')
    .summary('remove the entries logged before a time, after checking them, and chain a signed statement of the cut')
    .description('Remove the entries logged before --before TIME (or --older-than PERIOD ago), after checking that they verify, and chain a statement of the cut signed by the log key; the log verifies and proves on from the cut. PostgreSQL drops whole monthly partitions: the cut is the start of the month TIME falls in.')
    .addOption(logOption())
    .option('--key <priv>', 'the private key to sign the cut with (default: TIAOLI_LOG_KEY)')
    .option('--older-than <period>', 'remove what was logged longer ago than this (P180D, P6M, P1Y)')
    .option('--before <time>', 'remove what was logged before this (RFC 3339 with an offset, or a date in China time)')
    .addHelpText('after', examples('tiaoli log retain --log decisions.sqlite --older-than P6M --key keys/log.key'))
    .action(act(async (o: RetainOptions) => (await log()).retainCommand(o)));
  group
    .command('check-proof')
    .summary("check a proof offline, against the log's key or a published tree head")
    .argument('<file>', 'the proof tiaoli log prove printed, or - for standard input')
    .option('--key <pub>', "the log's public key (default: TIAOLI_LOG_PUBLIC_KEY)")
    .option('--head <file>', 'a published tree head the proof must be under')
    .addHelpText('after', examples('tiaoli log check-proof proof.json --key keys/log.pub'))
    .action(act(async (file: string, o: CheckProofOptions) => (await log()).checkProofCommand(file, o)));
}
