/**
 * Writes the JSON Schema files of the accounts/ YAML into schemas/ (`npm run schemas`).
 * Run it after changing src/config/schema.ts; test/config/json-schemas.test.ts fails until you do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildJsonSchemas, renderJsonSchema, JSON_SCHEMA_DIR } from '../src/config';

const dir = resolve(__dirname, '..', JSON_SCHEMA_DIR);
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(buildJsonSchemas())) {
  writeFileSync(join(dir, name), renderJsonSchema(schema));
  process.stdout.write(`wrote ${JSON_SCHEMA_DIR}/${name}\n`);
}
