// `tiaoli lsp` as an editor meets it: a real child process speaking the Language Server Protocol over
// stdio to a JSON-RPC client (vscode-jsonrpc), through one session on the shipped policies: open a
// file, type a misspelled field, get the diagnostic and apply its quick fix, complete, hover, go to a
// definition, rename, see a failing policy test at its case, shut down.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_POLICIES } from '../../engine/load.js';

const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;
const A12 = 'live-2016/article-12.tiaoli';
const TEST12 = 'live-2016/article-12.test.yaml';
const uri = (path: string) => pathToFileURL(join(SHIPPED_POLICIES, path)).href;
const text12 = readFileSync(join(SHIPPED_POLICIES, A12), 'utf8');
const test12 = readFileSync(join(SHIPPED_POLICIES, TEST12), 'utf8');

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface LspDiagnostic {
  range: Range;
  code: string;
  message: string;
}
interface Published {
  uri: string;
  diagnostics: LspDiagnostic[];
}
interface Edit {
  range: Range;
  newText: string;
}

/** The position of `offset` in `text`, as LSP counts (0-based lines, UTF-16 characters). */
function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

/** `tiaoli lsp` in a child process, and a JSON-RPC connection to it over its stdio (not yet listening). */
function session(): { child: ChildProcess; rpc: MessageConnection } {
  const child = spawn(process.execPath, [BIN, 'lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return { child, rpc: createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)) };
}

async function initialize(rpc: MessageConnection): Promise<void> {
  const init = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: pathToFileURL(SHIPPED_POLICIES).href, capabilities: {} });
  expect(init.capabilities).toMatchObject({ textDocumentSync: { change: 2 }, hoverProvider: true, renameProvider: { prepareProvider: true } });
  rpc.sendNotification('initialized', {});
}

describe('tiaoli lsp, one session over stdio', () => {
  let child: ChildProcess;
  let rpc: MessageConnection;
  const waiters: { test: (p: Published) => boolean; done: (p: Published) => void }[] = [];
  let version = 1;

  /** The next diagnostics published for `path` that pass `test`. */
  const diagnosticsFor = (path: string, test: (ds: LspDiagnostic[]) => boolean = () => true) =>
    new Promise<LspDiagnostic[]>((done) => {
      waiters.push({ test: (p) => p.uri === uri(path) && test(p.diagnostics), done: (p) => done(p.diagnostics) });
    });
  const change = (path: string, changes: ({ range: Range; text: string } | { text: string })[]) =>
    rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uri(path), version: ++version }, contentChanges: changes });

  beforeAll(async () => {
    ({ child, rpc } = session());
    rpc.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      for (const w of waiters.filter((x) => x.test(p))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(p);
      }
    });
    rpc.listen();
    await initialize(rpc);
    rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(A12), languageId: 'tiaoli', version, text: text12 } });
  }, 60_000);

  afterAll(() => {
    rpc?.dispose();
    child?.kill();
  });

  it('reports a misspelled field with "did you mean", and its quick fix puts it right', async () => {
    const at = text12.indexOf('not actor.verified meets') + 'not actor.'.length;
    const wrong = diagnosticsFor(A12, (ds) => ds.some((d) => d.code === 'TL050'));
    // Incremental sync: only the word changes.
    change(A12, [{ range: { start: positionOf(text12, at), end: positionOf(text12, at + 'verified'.length) }, text: 'verifed' }]);
    const ds = await wrong;
    const d = ds.find((x) => x.code === 'TL050')!;
    expect(d.message).toContain('did you mean `actor.verified`?');
    expect(d.range.start).toEqual(positionOf(text12, at - 'actor.'.length));

    const actions = await rpc.sendRequest<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>('textDocument/codeAction', { textDocument: { uri: uri(A12) }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions[0]!.edit.changes[uri(A12)]![0]!;
    expect(fix).toEqual({ range: d.range, newText: 'actor.verified' });
    const clean = diagnosticsFor(A12, (x) => x.length === 0);
    change(A12, [{ range: fix.range, text: fix.newText }]);
    expect(await clean).toEqual([]);
  }, 30_000);

  it('completes fields with their Chinese names in a `when` clause', async () => {
    const line = '\nrule r cites live-2016 article 12 on content.publish when actor.';
    const end = positionOf(text12, text12.length);
    change(A12, [{ range: { start: end, end }, text: line }]);
    const items = await rpc.sendRequest<{ label: string; documentation?: string; textEdit: Edit }[]>('textDocument/completion', {
      textDocument: { uri: uri(A12) },
      position: positionOf(text12 + line, (text12 + line).length),
    });
    const verified = items.find((i) => i.label === 'actor.verified')!;
    expect(verified.documentation).toMatch(/[\u4e00-\u9fff]/);
    // The accepted item replaces the whole dotted word typed so far.
    expect(verified.textEdit.range.start).toEqual(positionOf(text12 + line, (text12 + line).length - 'actor.'.length));
    change(A12, [{ text: text12 }]);
  }, 30_000);

  it('shows the cited article’s text on hover, and goes to a defined term in another file', async () => {
    const hover = await rpc.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: uri(A12) },
      position: positionOf(text12, text12.indexOf('cites live-2016 article 12 paragraph 2') + 3),
    });
    expect(hover.contents.value).toContain('不得出售或者非法向他人提供');
    expect(hover.contents.value).toContain('sell them or illegally provide them');
    const def = await rpc.sendRequest<{ uri: string }>('textDocument/definition', { textDocument: { uri: uri(A12) }, position: positionOf(text12, text12.indexOf('live-provider') + 2) });
    expect(def.uri).toBe(uri('live-2016/article-02.tiaoli'));
  }, 30_000);

  it('renames a defined term with an edit at every use in the bundle, and refuses a name that is not one', async () => {
    const position = positionOf(text12, text12.indexOf('live-provider') + 2);
    const refs = await rpc.sendRequest<unknown[]>('textDocument/references', { textDocument: { uri: uri(A12) }, position, context: { includeDeclaration: true } });
    const r = await rpc.sendRequest<{ changes: Record<string, Edit[]> }>('textDocument/rename', { textDocument: { uri: uri(A12) }, position, newName: 'live-platform' });
    const edits = Object.values(r.changes).flat();
    expect(edits).toHaveLength(refs.length);
    expect(Object.keys(r.changes).length).toBeGreaterThan(5);
    expect(edits.every((e) => e.newText === 'live-platform')).toBe(true);
    await expect(rpc.sendRequest('textDocument/rename', { textDocument: { uri: uri(A12) }, position, newName: 'Live Platform' })).rejects.toThrow(/TL090/);
  }, 30_000);

  it('reports a failing policy test at its case', async () => {
    const broken = test12.replace('expect: { allowed: true, verification: [], fired: [] }', 'expect: { allowed: false }');
    expect(broken).not.toBe(test12);
    const failing = diagnosticsFor(TEST12, (ds) => ds.some((d) => d.code === 'TL092'));
    rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(TEST12), languageId: 'yaml', version: 1, text: broken } });
    const [d] = await failing;
    expect(d!.message).toContain('a user with a verified phone number may register');
    expect(d!.range.start.line).toBe(positionOf(broken, broken.indexOf('- name: a user with a verified phone number')).line);
  }, 30_000);

  it('shuts down and exits cleanly (a session of its own, so the others may run in any order)', async () => {
    const own = session();
    own.rpc.listen();
    await initialize(own.rpc);
    await own.rpc.sendRequest('shutdown');
    const exited = new Promise<number | null>((done) => own.child.once('exit', done));
    own.rpc.sendNotification('exit');
    expect(await exited).toBe(0);
    own.rpc.dispose();
  }, 30_000);
});
