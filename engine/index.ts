// The library API (Node): load a bundle once, then decide events synchronously.
export { decide, isDecisionError, type DecisionError } from './decide.js';
export { buildBundle, digestOf, type BundleResult } from './bundle.js';
export { LOAD_LIMITS, loadPolicyDir, PolicyLoadError, readPolicyDir, readPolicyTree, SHIPPED_POLICIES, type LoadErrorCode, type LoadLimits, type PolicyTree } from './load.js';
export { validate, type FieldError, type Validation } from './validate.js';
export { evaluate } from './evaluate.js';
export type { CompiledPolicy } from './compile.js';
export type { Decision } from './schema/decision.js';
// What the engine reads of any event; and the events and codes of the shipped vocabulary, generated
// from it (a vocabulary of one's own: `tiaoli types`).
export type { Event as EventEnvelope } from './schema/event.js';
export type * from './schema/contract.js';
export { formatDiagnostic, type Diagnostic } from '../language/diagnostics.js';

