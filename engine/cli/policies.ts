// The policies a command runs on: compiled from a directory, or their diagnostics written and a
// message that names the command.
import { formatDiagnostic } from '../../language/diagnostics.js';
import type { CompiledPolicy } from '../compile.js';
import { loadPolicyDir, type PolicyLoadError } from '../load.js';

export function loadOrReport(dir: string, command = 'tiaoli', err: (s: string) => void = (s) => process.stderr.write(s)): CompiledPolicy | undefined {
  const { policy, diagnostics } = loadPolicyDir(dir, { tests: false });
  if (policy) return policy;
  for (const d of diagnostics) err(`${formatDiagnostic(d)}\n`);
  err(`${command}: the policies in ${dir} do not compile\n`);
  return undefined;
}

/** The line a command prints when the loader refuses a policy tree. */
export const refusal = (command: string, e: PolicyLoadError): string => `${command}: policies refused: ${e.message} [${e.code}]`;
