// Is this an Adaptive Card Teams can show? Two checks by Microsoft's own parts: the official Adaptive
// Card JSON schema (test/contracts/adaptive-card.schema.json, from the adaptivecards-designer
// package; see test/contracts/README.md) and the parser of Microsoft's Adaptive Cards renderer
// (the adaptivecards package), which reports what the schema lets through: unknown element types,
// property values it does not know, cards of a version it cannot render.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

// The package's ES module build does not load in Node; its UMD bundle does.
const renderer = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const CONTRACTS = process.env.HERALD_CONTRACTS_DIR ?? path.join(__dirname, '..', '..', 'contracts');

/** The versions Teams renders (Microsoft Teams docs, "Adaptive Cards": up to 1.5). */
const TEAMS_VERSIONS = new Set(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema(JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-06.json'), 'utf8')));
// The schema names itself with draft-04's `id`, which Ajv reads only as draft-06's `$id`.
const { id: schemaId, ...schema } = JSON.parse(readFileSync(path.join(CONTRACTS, 'adaptive-card.schema.json'), 'utf8'));
const validateSchema = ajv.compile({ $id: schemaId, ...schema });

/** Why `card` is not an Adaptive Card Teams renders, or an empty list. */
export function adaptiveCardProblems(card: unknown): string[] {
  const problems: string[] = [];
  if (!validateSchema(card)) problems.push(...(validateSchema.errors ?? []).map((e) => `schema: ${e.instancePath || '(card)'} ${e.message ?? ''}`.trim()));
  const version = (card as { version?: unknown } | null)?.version;
  if (typeof version !== 'string' || !TEAMS_VERSIONS.has(version)) problems.push(`version ${String(version)} is not one Teams renders`);
  const context = new renderer.SerializationContext();
  new renderer.AdaptiveCard().parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`renderer: ${context.getEventAt(i).message}`);
  return problems;
}
