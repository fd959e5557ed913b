// The published JSON Schemas and TypeScript types are exactly what the shipped vocabulary gives
// (the schemas the engine validates with), and the generated CST types what the grammar produces.
import { readFileSync } from 'node:fs';
import { generateCstDts } from '@chevrotain/cst-dts-gen';
import { describe, expect, it } from 'vitest';
import { decisionSchema } from '../engine/schema/decision.js';
import { eventSchema } from '../engine/schema/event.js';
import { typesOf } from '../engine/schema/types.js';
import { policyParser } from '../language/parser.js';
import { shippedPolicy } from './helpers.js';

const vocabulary = shippedPolicy().checked.vocabulary;

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated files are current', () => {
  it.each([
    ['event', eventSchema(vocabulary)],
    ['decision', decisionSchema(vocabulary)],
  ])('engine/schema/%s.schema.json (run `npm run gen:schema` after changing the vocabulary)', (name, schema) => {
    expect(JSON.parse(read(`engine/schema/${name}.schema.json`))).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('engine/schema/contract.ts, the shipped vocabulary\'s TypeScript types (run `npm run gen:schema`)', () => {
    expect(read('engine/schema/contract.ts')).toBe(typesOf(vocabulary));
  });

  it('language/cst.d.ts (run `npm run gen:cst` after changing the grammar)', () => {
    expect(read('language/cst.d.ts')).toContain(generateCstDts(policyParser().getGAstProductions()));
  });
});
