/**
 * The resource schemas of the Terraform Cloud provider (hashicorp/tfe 0.71.0), read from the jsii assembly of
 * @cdktf/provider-tfe, which is generated from that provider's schema: for each resource type, its attributes and
 * blocks (named by the Terraform Registry anchor in each property's docs) and whether each is optional. Stands in for
 * `terraform validate`, which needs the provider binary (the Go module proxy does not serve terraform-provider-tfe).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
interface JsiiType {
  readonly kind: string;
  readonly docs?: { readonly summary?: string };
  readonly initializer?: { readonly parameters?: ReadonlyArray<{ readonly type: { readonly fqn?: string } }> };
  readonly properties?: readonly JsiiProperty[];
}

/** One resource type's arguments: Terraform name → required. */
export type ResourceSchema = ReadonlyMap<string, { readonly required: boolean }>;

const ASSEMBLY = join(__dirname, '..', '..', '..', 'node_modules', '@cdktf', 'provider-tfe', '.jsii');
/** Meta-arguments every resource accepts. */
const META_ARGUMENTS = new Set(['count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'connection', 'provisioner', '//']);

/** Schemas of every tfe_* resource, by type. */
export function readTfeResourceSchemas(): ReadonlyMap<string, ResourceSchema> {
  const types = (JSON.parse(readFileSync(ASSEMBLY, 'utf8')) as { types: Record<string, JsiiType> }).types;
  const out = new Map<string, ResourceSchema>();
  for (const type of Object.values(types)) {
    const resourceType = /\/docs\/resources\/[a-z_]+ (tfe_[a-z_]+)\}/.exec(type.docs?.summary ?? '')?.[1];
    const configFqn = type.kind === 'class' ? type.initializer?.parameters?.[2]?.type.fqn : undefined;
    if (!resourceType || !configFqn) continue;
    const schema = new Map<string, { required: boolean }>();
    for (const property of types[configFqn]?.properties ?? []) {
      const name = /\/docs\/resources\/[a-z_]+#([a-z0-9_]+) /.exec(`${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`)?.[1];
      if (name) schema.set(name, { required: !property.optional });
    }
    out.set(resourceType, schema);
  }
  return out;
}

/** Problems of the `resource` section of a synthesized stack against the schemas: unknown types, unknown or missing arguments. */
export function checkTfeResources(resources: Record<string, Record<string, Record<string, unknown>>>, schemas: ReadonlyMap<string, ResourceSchema>): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    const schema = schemas.get(type);
    if (!schema) {
      problems.push(`${type}: not a resource type of the tfe provider`);
      continue;
    }
    for (const [name, body] of Object.entries(byName)) {
      for (const key of Object.keys(body)) if (!schema.has(key) && !META_ARGUMENTS.has(key)) problems.push(`${type}.${name}: unknown argument "${key}"`);
      for (const [key, { required }] of schema) if (required && !(key in body)) problems.push(`${type}.${name}: missing required argument "${key}"`);
    }
  }
  return problems;
}
