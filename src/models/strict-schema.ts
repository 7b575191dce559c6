/**
 * Whether a JSON Schema fits OpenAI's strict mode (structured outputs and strict function tools),
 * which enforces the schema while the model writes but accepts only a subset of JSON Schema:
 * every object closed (`additionalProperties: false`) with all its properties required, and only
 * the keywords listed below. A schema outside the subset is still sent, unenforced (`strict:
 * false`); the agent loop validates the answer with zod either way.
 */

const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);
const FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function strictNode(node: unknown): boolean {
  if (!isSchema(node)) return false;
  for (const key of Object.keys(node)) if (!KEYWORDS.has(key)) return false;
  if (typeof node.format === 'string' && !FORMATS.has(node.format)) return false;

  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') || node.properties !== undefined) {
    if (node.additionalProperties !== false) return false;
    const properties = isSchema(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    if (Object.keys(properties).some((key) => !required.has(key))) return false;
    if (!Object.values(properties).every(strictNode)) return false;
  }
  if (node.items !== undefined && !strictNode(node.items)) return false;
  if (node.anyOf !== undefined && !(Array.isArray(node.anyOf) && node.anyOf.every(strictNode))) return false;
  for (const defs of [node.$defs, node.definitions]) {
    if (defs !== undefined && !(isSchema(defs) && Object.values(defs).every(strictNode))) return false;
  }
  return true;
}

/**
 * The schema as sent to the API: the `$schema` dialect marker dropped (zod's `toJSONSchema` adds
 * one; the API has no use for it).
 */
export function apiSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** Whether `schema` (an object schema, after `apiSchema`) can be sent with `strict: true`. */
export function isStrictCompatible(schema: Record<string, unknown>): boolean {
  return schema.type === 'object' && strictNode(schema);
}
