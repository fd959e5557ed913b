// Writes the published JSON Schemas (engine/schema/*.schema.json) from their TypeBox source.
// A test fails when the files are stale, so the published copies never drift from the types.
import { writeFileSync } from 'node:fs';
import { Decision } from '../dist/engine/schema/decision.js';
import { Event } from '../dist/engine/schema/event.js';

for (const [name, schema] of [['event', Event], ['decision', Decision]]) {
  writeFileSync(new URL(`../engine/schema/${name}.schema.json`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}
