// The OpenAPI document against the service that serves it: it validates as OpenAPI 3.1, names every
// operation, and every documented route, called on a real server, answers as the document says
// (its status documented, its body valid against the schema the document gives for it).
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { event } from '../helpers.js';
import { startService } from './harness.js';

const addFormats = addFormatsModule.default;
const TOKEN = 'openapi-test-token';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { openapi: string; paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>; components: { schemas: Record<string, { examples?: unknown[] }> } };

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

describe('the OpenAPI document', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let doc: Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  beforeAll(async () => {
    svc = await startService(TOKEN, {}, 0, { tests: loadPolicyDir(SHIPPED_POLICIES).tests });
    doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as Doc;
    ajv.addSchema(structuredClone(doc), 'openapi');
  });
  afterAll(() => svc.stop());

  it('is valid OpenAPI 3.1, with an operationId and tags on every operation and Event and Decision among its components', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(doc) as never);
    const operations = Object.values(doc.paths).flatMap((p) => METHODS.flatMap((m) => (p[m] ? [p[m]!] : [])));
    expect(operations.filter((o) => !o.operationId || !o.tags?.length)).toEqual([]);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Event', 'Decision', 'Problem', 'BatchError', 'LogEntry']));
    // Examples are the shipped policy tests' events, one per event type, and valid events.
    const examples = doc.components.schemas['Event']!.examples!;
    expect(examples.length).toBeGreaterThan(3);
    const valid = ajv.getSchema(`openapi#/${pointer('components', 'schemas', 'Event')}`)!;
    for (const e of examples) expect(valid(e), JSON.stringify(valid.errors)).toBe(true);
  });

  it('describes every answer of every route, called on the real server', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const jsonBody = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const digest = ((await (await fetch(`${svc.url}/v1/policies`)).json()) as { digest: string }).digest;
    await fetch(`${svc.url}/v1/decisions`, jsonBody(event('content.publish', { id: 'openapi-seed' })));
    const calls: [path: string, method: (typeof METHODS)[number], init?: RequestInit, query?: string][] = [
      ['/v1/decisions', 'post', jsonBody(event('content.publish', { id: 'openapi-1' }), { 'idempotency-key': 'openapi-key' })],
      ['/v1/decisions', 'post', jsonBody(event('content.publish', { id: 'openapi-other' }), { 'idempotency-key': 'openapi-key' })],
      ['/v1/decisions', 'post', jsonBody({ id: 'bad', type: 'content.publish' })],
      ['/v1/decisions', 'post', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }],
      ['/v1/decisions', 'post', jsonBody({ padding: 'x'.repeat(300_000) })],
      ['/v1/decisions/batch', 'post', jsonBody([event('interaction.post', { id: 'openapi-2' }), { id: 'bad' }])],
      ['/v1/decisions/batch', 'post', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify(event('interaction.post', { id: 'openapi-3' }))}\nnot json\n` }],
      ['/v1/decisions/batch', 'post', jsonBody({ not: 'an array' })],
      ['/v1/policies', 'get'],
      ['/v1/schema/event.json', 'get'],
      ['/v1/schema/decision.json', 'get'],
      ['/v1/articles', 'get'],
      ['/v1/sources', 'get'],
      ['/v1/admin/policies', 'post', jsonBody({ directory: SHIPPED_POLICIES }, auth)],
      ['/v1/admin/policies', 'post', jsonBody({ directory: SHIPPED_POLICIES })],
      ['/v1/admin/policies', 'post', jsonBody({ directory: SHIPPED_POLICIES, extra: 1 }, auth)],
      ['/v1/log', 'get', { headers: auth }, 'limit=2'],
      ['/v1/log', 'get', { headers: auth }, 'limit=-1'],
      ['/v1/log', 'get', {}, ''],
      ['/v1/replay', 'post', jsonBody({}, auth)],
      ['/v1/replay', 'post', jsonBody({ revision: 'sha256:nope' }, auth)],
      ['/v1/diff', 'post', jsonBody({ base: digest, head: SHIPPED_POLICIES }, auth)],
      ['/v1/diff', 'post', jsonBody({ base: digest }, auth)],
      ['/healthz', 'get'],
      ['/readyz', 'get'],
      ['/metrics', 'get'],
    ];
    const seen = new Set<string>();
    for (const [path, method, init, query] of calls) {
      const what = `${method.toUpperCase()} ${path}${query ? `?${query}` : ''}`;
      const operation = doc.paths[path]?.[method];
      expect(operation, what).toBeDefined();
      seen.add(operation!.operationId!);
      const res = await fetch(`${svc.url}${path}${query ? `?${query}` : ''}`, { method: method.toUpperCase(), ...init });
      const status = String(res.status);
      expect(Object.keys(operation!.responses), `${what} answered ${status}`).toContain(status);
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
      const content = operation!.responses[status]!.content ?? {};
      expect(Object.keys(content), `${what} ${status}`).toContain(type);
      const text = await res.text();
      if (!content[type]!.schema) continue;
      const check = ajv.getSchema(`openapi#/${pointer('paths', path, method, 'responses', status, 'content', type, 'schema')}`)!;
      const bodies = type === 'application/x-ndjson' ? text.trim().split('\n').map((l) => JSON.parse(l)) : type === 'text/plain' ? [text] : [JSON.parse(text)];
      for (const body of bodies) expect(check(body), `${what} ${status}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
    // Every documented operation was called.
    const documented = Object.values(doc.paths).flatMap((p) => METHODS.flatMap((m) => (p[m] ? [p[m]!.operationId!] : [])));
    expect([...seen].sort()).toEqual(documented.sort());
  });
});
