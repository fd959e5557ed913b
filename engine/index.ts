// The library API (Node): load a bundle once, then decide events synchronously.
export { decide, isDecisionError, type DecisionError } from './decide.js';
export { buildBundle, digestOf, type BundleResult } from './bundle.js';
export { LOAD_LIMITS, loadPolicyDir, PolicyLoadError, readPolicyDir, readPolicyTree, SHIPPED_POLICIES, type LoadErrorCode, type LoadLimits, type PolicyTree } from './load.js';
export { validate, type FieldError, type Validation } from './validate.js';
export { evaluate } from './evaluate.js';
export type { CompiledPolicy } from './compile.js';
export type { Decision } from './schema/decision.js';
export type { Event, EventType } from './schema/event.js';
export { formatDiagnostic, type Diagnostic } from '../language/diagnostics.js';

