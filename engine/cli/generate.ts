// `tiaoli schema` and `tiaoli types`: what a vocabulary lets platforms send and library code name,
// written from the policies' own vocabulary (the shipped one when no directory is given).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_POLICIES } from '../load.js';
import { decisionSchema } from '../schema/decision.js';
import { eventSchema } from '../schema/event.js';
import { typesOf } from '../schema/types.js';
import { shown } from './paths.js';
import { loadOrReport } from './policies.js';

const json = (schema: object): string => `${JSON.stringify(schema, null, 2)}\n`;

/** Writes event.schema.json and decision.schema.json into --out (default: the current directory). */
export function schemaCommand(values: { policies?: string; out: string }): number {
  const policy = loadOrReport(values.policies ?? SHIPPED_POLICIES, 'tiaoli schema');
  if (!policy) return 2;
  const v = policy.checked.vocabulary;
  for (const [name, schema] of [['event', eventSchema(v)], ['decision', decisionSchema(v)]] as const) {
    const file = join(values.out, `${name}.schema.json`);
    writeFileSync(file, json(schema));
    process.stdout.write(`${shown(file)}\n`);
  }
  return 0;
}

/** Prints the TypeScript declarations of the vocabulary, or writes them to --out. */
export function typesCommand(values: { policies?: string; out?: string }): number {
  const policy = loadOrReport(values.policies ?? SHIPPED_POLICIES, 'tiaoli types');
  if (!policy) return 2;
  const text = typesOf(policy.checked.vocabulary);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}
