// What a bundle may ask of the compiler, in one place. Each bound keeps a pass finite on any input
// (an upload to the service included) and stays far above real law: the shipped bundle's own
// figures are given beside each. Work is bounded as well as nesting, since nesting alone lets a few
// lines of definitions that each use the one before twice stand for 2^depth conditions.
export const LIMITS = {
  /** Characters (UTF-16 code units) in one policy file, refused before lexing. Shipped: at most 3,872. */
  fileChars: 250_000,
  /** Nesting of one condition (brackets, `not`s, date shifts), refused before parsing: every later pass recurses on it. */
  nesting: 48,
  /** Definitions reached through one another: compiling and evaluating follow them by recursion. */
  definitionDepth: 32,
  /** Rules in a bundle, over all article versions. Shipped: 60. */
  rules: 2_000,
  /**
   * Condition nodes in one rule with every definition expanded where it is used: what the
   * json-rules-engine backend and the Z3 analysis build, since they expand definitions without
   * remembering them. Shipped: at most 38.
   */
  ruleWork: 10_000,
} as const;
