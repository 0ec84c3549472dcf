// A validator for exactly the JSON-schema keywords the answers schema uses (answersSchema() in
// answers-file.ts, published as schema/answers.schema.json), so the CLI checks an answers file
// against the published schema itself and still ships without runtime dependencies. A keyword it
// does not know is an error (thrown, a bug), never silently skipped; test/unit/schema-check.test.ts
// proves it agrees with ajv on a corpus of good and bad files.

type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'required', 'properties', 'additionalProperties', 'const', 'enum', 'pattern', 'maxLength', 'items', 'minItems', 'uniqueItems', 'not', 'anyOf']);

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The first problem of `value` against `schema` ("answers.os[0]: must be one of …"), or undefined. */
export function schemaProblem(schema: Schema, value: unknown, at = ''): string | undefined {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`schema-check: keyword ${key} is not supported`);
  const where = at || 'the file';
  if (schema.type !== undefined) {
    const t = typeOf(value);
    const ok = schema.type === t || (schema.type === 'number' && t === 'integer');
    if (!ok) return `${where}: must be ${schema.type === 'object' ? 'an object' : schema.type === 'array' ? 'an array' : `a ${schema.type}`}`;
  }
  if ('const' in schema && !same(schema.const, value)) return `${where}: must be ${JSON.stringify(schema.const)}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => same(e, value))) return `${where}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return `${where}: does not match ${schema.pattern}`;
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) return `${where}: longer than ${schema.maxLength}`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return `${where}: needs at least ${schema.minItems} item(s)`;
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return `${where}: has duplicates`;
    if (schema.items && typeof schema.items === 'object') {
      for (let i = 0; i < value.length; i++) {
        const problem = schemaProblem(schema.items as Schema, value[i], `${where}[${i}]`);
        if (problem) return problem;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!Object.hasOwn(object, key)) return `${where}: misses ${JSON.stringify(key)}`;
    for (const [key, v] of Object.entries(object)) {
      const child = at ? `${at}.${key}` : key;
      if (Object.hasOwn(properties, key)) {
        const problem = schemaProblem(properties[key] as Schema, v, child);
        if (problem) return problem;
      } else if (schema.additionalProperties === false) return `${where}: unknown key ${JSON.stringify(key)}`;
    }
  }
  if (Array.isArray(schema.anyOf)) {
    const problems = (schema.anyOf as Schema[]).map((option) => schemaProblem(option, value, at));
    if (problems.every((p) => p !== undefined)) return `${where}: ${problems.map((p) => p.slice(where.length + 2)).join(', or ')}`;
  }
  if (schema.not && typeof schema.not === 'object' && schemaProblem(schema.not as Schema, value, at) === undefined) return `${where}: is not allowed (${JSON.stringify(schema.not)})`;
  return undefined;
}
