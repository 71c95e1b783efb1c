/**
 * A generic SARIF 2.1.0 writer for every iamctl command that reports findings (lint, scan, drift).
 * Results are data in; a plain SARIF object out (the caller serializes it).
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** A rule (check) that results refer to. */
export interface SarifRuleInput {
  /** Stable id (`admin-access`, `CKV_AWS_62`). */
  readonly id: string;
  /** One-line description. */
  readonly shortDescription: string;
  /** Link to the rule's documentation. @default - none */
  readonly helpUri?: string;
  /** Level when a result does not say. @default 'warning' */
  readonly defaultLevel?: SarifLevel;
}

/** One finding. */
export interface SarifResultInput {
  readonly ruleId: string;
  readonly level: SarifLevel;
  readonly message: string;
  /** Repository-relative file. @default - no physical location */
  readonly file?: string;
  /** 1-based line. @default - no region */
  readonly line?: number;
  /** Logical location, such as a JSON path or resource address. @default - none */
  readonly logicalLocation?: string;
  /** Present when the finding is suppressed; the reason is required. @default - not suppressed */
  readonly suppression?: { readonly reason: string };
  /** Extra properties kept in the result's property bag. @default - none */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

export interface SarifLogInput {
  readonly toolName: string;
  readonly toolVersion: string;
  /** @default - none */
  readonly informationUri?: string;
  readonly rules: readonly SarifRuleInput[];
  readonly results: readonly SarifResultInput[];
}

/** Builds a SARIF 2.1.0 log with one run. Rules a result refers to but the caller did not list are added. */
export function buildSarifLog(input: SarifLogInput): Record<string, unknown> {
  const rules = [...input.rules];
  const known = new Set(rules.map((r) => r.id));
  for (const result of input.results) {
    if (!known.has(result.ruleId)) {
      rules.push({ id: result.ruleId, shortDescription: result.ruleId });
      known.add(result.ruleId);
    }
  }
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: input.toolName,
            version: input.toolVersion,
            ...(input.informationUri ? { informationUri: input.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.shortDescription },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: r.defaultLevel ?? 'warning' },
            })),
          },
        },
        results: input.results.map((r) => {
          const location: Record<string, unknown> = {};
          if (r.file) {
            location.physicalLocation = {
              artifactLocation: { uri: r.file },
              ...(r.line ? { region: { startLine: r.line } } : {}),
            };
          }
          if (r.logicalLocation) location.logicalLocations = [{ fullyQualifiedName: r.logicalLocation }];
          return {
            ruleId: r.ruleId,
            ruleIndex: ruleIndex.get(r.ruleId),
            level: r.level,
            message: { text: r.message },
            ...(Object.keys(location).length > 0 ? { locations: [location] } : {}),
            ...(r.suppression ? { suppressions: [{ kind: 'external', justification: r.suppression.reason }] } : {}),
            ...(r.properties ? { properties: { ...r.properties } } : {}),
          };
        }),
      },
    ],
  };
}
