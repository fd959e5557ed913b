// The published JSON Schemas are exactly the TypeBox schemas the engine validates with, and the
// generated CST types are exactly what the grammar produces.
import { readFileSync } from 'node:fs';
import { generateCstDts } from '@chevrotain/cst-dts-gen';
import { describe, expect, it } from 'vitest';
import { Decision } from '../engine/schema/decision.js';
import { Event } from '../engine/schema/event.js';
import { parser } from '../language/parser.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('generated files are current', () => {
  it.each([
    ['event', Event],
    ['decision', Decision],
  ])('engine/schema/%s.schema.json (run `npm run gen:schema` after changing the schema)', (name, schema) => {
    expect(JSON.parse(read(`engine/schema/${name}.schema.json`))).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('language/cst.d.ts (run `npm run gen:cst` after changing the grammar)', () => {
    expect(read('language/cst.d.ts')).toContain(generateCstDts(parser.getGAstProductions()));
  });
});
