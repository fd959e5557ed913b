// The policies a command runs on: compiled from a directory, or their diagnostics written and a
// message that names the command.
import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../language/diagnostics.js';
import type { Prebuilt } from '../bundle.js';
import type { CompiledPolicy } from '../compile.js';
import { loadPolicyDir, SHIPPED_POLICIES, type PolicyLoadError } from '../load.js';
import { locatedIn, shown, UsageError } from './paths.js';

/** Where the build leaves the shipped policies checked (scripts/bundle-cli.js): beside the bundled command line only. */
const PREBUILT = new URL('./shipped-bundle.json', import.meta.url);

/** The prebuilt bundle, if the build left one and it reads: without it, the policies are parsed as ever. */
function prebuilt(): Prebuilt | undefined {
  try {
    return JSON.parse(readFileSync(PREBUILT, 'utf8')) as Prebuilt;
  } catch {
    return undefined;
  }
}

export function loadOrReport(dir: string, command = 'tiaoli', err: (s: string) => void = (s) => process.stderr.write(s)): CompiledPolicy | undefined {
  const { policy, diagnostics } = loadPolicyDir(dir, { tests: false, prebuilt: prebuilt() });
  if (policy) return policy;
  for (const d of diagnostics) err(`${formatDiagnostic(locatedIn(dir, d))}\n`);
  err(`${command}: the policies in ${shown(dir)} do not compile; tiaoli check ${shown(dir)} lists why\n`);
  return undefined;
}

/** The line a command prints when the loader refuses a policy tree. */
export const refusal = (command: string, e: PolicyLoadError): string => `${command}: policies refused: ${e.message} [${e.code}]`;

/** `tiaoli check DIR` and `tiaoli check --policies DIR` alike; the shipped policies when neither. */
export function policiesOf(positional: string | undefined, option: string | undefined): string {
  if (positional !== undefined && option !== undefined && positional !== option) throw new UsageError(`name the policy directory once: ${positional} or --policies ${option}`);
  return positional ?? option ?? SHIPPED_POLICIES;
}
