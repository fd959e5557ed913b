// The language services, in one place and browser-safe: the playground's worker and `tiaoli lsp`
// both answer an editor with these functions of a snapshot of the bundle.
export { complete, type Completion, type Completions } from './complete.js';
export { COMPLETION_KIND_NAMES, OUTLINE_KIND_NAMES, type CompletionKind, type OutlineKind } from './kinds.js';
export { codeActions, formatting, prepareRename, rename, type CodeAction, type Formatted, type RenameResult, type TextEdit } from './edit.js';
export { SEMANTIC_MODIFIERS, SEMANTIC_TYPES, semanticTokens, type SemanticToken, type SemanticType } from './highlight.js';
export { definition, documentSymbols, hover, references, type Hover, type HoverContext, type OutlineSymbol } from './navigate.js';
export { snapshot, update, type Snapshot } from './workspace.js';
