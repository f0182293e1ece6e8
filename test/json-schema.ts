// Checks a value against a schema of the OpenAPI document: the part of JSON Schema the
// document uses (type, const, enum, properties, required, additionalProperties: false,
// items, minItems, minimum, maximum, oneOf, allOf, $ref into the document). Answers what
// does not fit, one line each with where; none when it fits.
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function fitsType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

export function schemaProblems(document: Schema, schema: Schema, value: unknown, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, key) => (node as Schema)[key], document) as Schema | undefined;
    if (!target) return [`${at}: ${schema.$ref} is not in the document`];
    return schemaProblems(document, target, value, at);
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => fitsType(value, type))) return [`${at}: ${JSON.stringify(value)} is not ${types.join(" or ")}`];
  }
  if ("const" in schema && value !== schema.const) problems.push(`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) problems.push(`${at}: ${value} is below ${schema.minimum}`);
  if (typeof schema.maximum === "number" && typeof value === "number" && value > schema.maximum) problems.push(`${at}: ${value} is above ${schema.maximum}`);
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in object)) problems.push(`${at}: ${name} is missing`);
    for (const [name, field] of Object.entries(object)) {
      if (properties[name]) problems.push(...schemaProblems(document, properties[name]!, field, `${at}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${at}: ${name} is not in the schema`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...schemaProblems(document, schema.items as Schema, item, `${at}[${i}]`)));
  }
  for (const part of (schema.allOf ?? []) as Schema[]) problems.push(...schemaProblems(document, part, value, at));
  if (Array.isArray(schema.oneOf)) {
    const fitting = (schema.oneOf as Schema[]).filter((option) => schemaProblems(document, option, value, at).length === 0).length;
    if (fitting !== 1) problems.push(`${at}: ${JSON.stringify(value)} fits ${fitting} of the oneOf's ${schema.oneOf.length} schemas, not one`);
  }
  return problems;
}
