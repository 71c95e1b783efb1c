/**
 * JSON Schema files for the accounts/ YAML, emitted from the zod schemas (scripts/emit-schemas.ts,
 * `npm run schemas`) so editors complete and check the files. A test keeps the committed files
 * equal to this output.
 */
import { z } from 'zod';
import { FILE_SCHEMAS, policyDocumentSchema, type FileKind } from './schema';

/** Folder of the emitted files, relative to the repository root. */
export const JSON_SCHEMA_DIR = 'schemas';

const stringOrList = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] };
const principal = {
  anyOf: [{ const: '*' }, { type: 'object', propertyNames: { enum: ['AWS', 'Service', 'Federated', 'CanonicalUser'] }, additionalProperties: stringOrList }],
};
const statement = {
  type: 'object',
  required: ['Effect'],
  additionalProperties: false,
  properties: {
    Sid: { type: 'string', pattern: '^[A-Za-z0-9]*$' },
    Effect: { enum: ['Allow', 'Deny'] },
    Principal: principal,
    NotPrincipal: principal,
    Action: stringOrList,
    NotAction: stringOrList,
    Resource: stringOrList,
    NotResource: stringOrList,
    Condition: {
      type: 'object',
      description: 'Operator → condition key → value(s).',
      additionalProperties: {
        type: 'object',
        additionalProperties: { anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', items: { type: ['string', 'number', 'boolean'] } }] },
      },
    },
    expires: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'Inline policies of role files only: the statement ends at the start of this UTC day (YYYY-MM-DD); not sent to IAM. @default - never expires',
    },
  },
};

/** The IAM policy language, hand-written: the loader checks documents with validatePolicyDocument. */
const IAM_POLICY_DOCUMENT_SCHEMA = {
  type: 'object',
  description: 'IAM policy document: Version and Statement, as in IAM JSON.',
  required: ['Version', 'Statement'],
  additionalProperties: false,
  properties: {
    Version: { enum: ['2012-10-17'], description: 'Always 2012-10-17.' },
    Id: { type: 'string' },
    Statement: { anyOf: [statement, { type: 'array', items: statement, minItems: 1 }] },
  },
};

/** Builds the JSON Schema of every file kind: `{ 'role.schema.json': {...}, ... }`. */
export function buildJsonSchemas(): Record<`${FileKind}.schema.json`, Record<string, unknown>> {
  const out = {} as Record<`${FileKind}.schema.json`, Record<string, unknown>>;
  for (const [kind, schema] of Object.entries(FILE_SCHEMAS) as [FileKind, z.ZodType][]) {
    const json = z.toJSONSchema(schema, {
      target: 'draft-7',
      io: 'input',
      override: (ctx) => {
        if (ctx.zodSchema === policyDocumentSchema) {
          for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
          Object.assign(ctx.jsonSchema, structuredClone(IAM_POLICY_DOCUMENT_SCHEMA));
        }
      },
    }) as Record<string, unknown>;
    out[`${kind}.schema.json`] = { ...json, title: `iam-platform ${kind} file` };
  }
  return out;
}

/** The text of an emitted file (stable formatting, trailing newline). */
export function renderJsonSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
