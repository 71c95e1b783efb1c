import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildJsonSchemas, renderJsonSchema } from '../../src/config';

const SCHEMAS = join(__dirname, '..', '..', 'schemas');

describe('schemas/ (emitted by npm run schemas)', () => {
  const emitted = buildJsonSchemas();

  it('holds exactly the emitted files', () => {
    expect(readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json')).sort()).toEqual(Object.keys(emitted).sort());
  });

  it.each(Object.keys(emitted))('%s equals what the zod schema emits (run `npm run schemas` after changing src/config/schema.ts)', (name) => {
    const committed = readFileSync(join(SCHEMAS, name), 'utf8');
    expect(committed).toBe(renderJsonSchema(emitted[name as keyof typeof emitted]));
  });

  it('forbids unknown keys and carries the IAM policy document schema', () => {
    const role = emitted['role.schema.json'] as { additionalProperties: unknown; required: string[]; properties: Record<string, { anyOf?: unknown[] }> };
    expect(role.additionalProperties).toBe(false);
    expect(role.required).toEqual(['owner', 'trust']);
    const policy = emitted['policy.schema.json'] as { properties: { document: { required: string[]; properties: { Version: unknown } } } };
    expect(policy.properties.document.required).toEqual(['Version', 'Statement']);
    expect(policy.properties.document.properties.Version).toEqual({ enum: ['2012-10-17'], description: 'Always 2012-10-17.' });
  });
});
