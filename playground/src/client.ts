// The page's side of the worker: one request, one promise of its answer.
import type { Op, Requests, Response } from './protocol.js';

export class LanguageClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  /** `onFailure` hears when the worker itself fails (it could not load, or it crashed). */
  constructor(
    private readonly worker: Worker,
    onFailure: (message: string) => void,
  ) {
    worker.onmessage = (e: MessageEvent<Response>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if ('error' in r) p?.reject(new Error(r.error));
      else p?.resolve(r.answer);
    };
    worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(e.message));
      this.pending.clear();
      onFailure(e.message || 'the language worker failed to start');
    };
  }

  request<K extends Op>(op: K, args: Requests[K]['args']): Promise<Requests[K]['answer']> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}
