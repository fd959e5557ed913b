// The page's worker: the language service answers each request off the page's thread. The policy
// tests run apart from the sync, giving way to other requests between test files.
import type { Request, Response } from './protocol.js';
import { Workspace } from './service.js';

const workspace = new Workspace();

/** Between two test files: the requests that came meanwhile run first (a macrotask, after them). */
const giveWay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function answer(r: Request): unknown {
  switch (r.op) {
    case 'sync':
      return workspace.sync(r.args.files);
    case 'tests':
      return workspace.tests(giveWay);
    case 'complete':
      return workspace.complete(r.args.file, r.args.offset);
    case 'hover':
      return workspace.hover(r.args.file, r.args.offset);
    case 'definition':
      return workspace.definition(r.args.file, r.args.offset);
    case 'format':
      return workspace.format(r.args.file);
    case 'references':
      return workspace.references(r.args.file, r.args.offset);
    case 'symbols':
      return workspace.symbols(r.args.file);
    case 'rename':
      return workspace.rename(r.args.file, r.args.offset, r.args.name);
    case 'fixes':
      return workspace.fixes(r.args.file, r.args.start, r.args.end);
    case 'decide':
      return workspace.decide(r.args.event);
  }
}

self.onmessage = async (e: MessageEvent<Request>) => {
  let response: Response;
  try {
    response = { id: e.data.id, answer: await answer(e.data) };
  } catch (err) {
    response = { id: e.data.id, error: err instanceof Error ? err.message : String(err) };
  }
  postMessage(response);
};
