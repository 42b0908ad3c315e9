import fc from 'fast-check';
import type { JsonSchema } from './openapi.ts';

// fast-check arbitraries from the document's JSON Schemas: values that follow a schema (valid-ish: the server
// may have rules a schema cannot state), and values that break it on purpose.

/** Values a property of this name takes from the test's fixtures (an existing conversation, a real e-mail...). */
export type Hints = Record<string, readonly unknown[]>;

/** Longest string generated from a schema: enough to cross small limits, short enough to stay fast. */
const MAX_GENERATED_LENGTH = 80;

/**
 * Web addresses that reach nothing outside this machine: IP literals, so that no host name is resolved, and
 * addresses the import's private-network guard refuses before any connection.
 */
const LOOPBACK_URLS = [
  'http://127.0.0.1:9/',
  'https://127.0.0.1:9/help/shipping',
  'http://[::1]:9/sitemap.xml',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.1/page?a=1#top',
];

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.max(
    minLength,
    Math.min((schema.maxLength as number | undefined) ?? 40, MAX_GENERATED_LENGTH),
  );
  if (schema.format === 'uri') return fc.constantFrom(...LOOPBACK_URLS);
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString());
  const patterns = [schema.pattern, ...(schema.allOf ?? []).map((part) => part.pattern)].filter(
    (pattern): pattern is string => typeof pattern === 'string',
  );
  const fits = (text: string) =>
    text.length >= minLength &&
    [...text].length <= ((schema.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY) &&
    patterns.every((pattern) => new RegExp(pattern, 'u').test(text));
  if (schema.format === 'email') {
    return fc.oneof(
      fc.emailAddress().filter((text) => text.length <= maxLength),
      fc.constantFrom('sam@example.com', 'Alex.Chen+support@Example.org'),
    );
  }
  if (patterns.length > 0) {
    const [first] = patterns as [string];
    return fc.stringMatching(new RegExp(first, 'u'), { size: 'small' }).filter(fits);
  }
  // Mostly printable text; sometimes any code point, lone surrogates and NUL included.
  return fc.oneof(
    { arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }), weight: 4 },
    { arbitrary: fc.string({ minLength, maxLength, unit: 'binary' }), weight: 1 },
  );
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = Math.max((schema.minimum as number | undefined) ?? -1_000_000, -2_000_000_000);
  const max = Math.min((schema.maximum as number | undefined) ?? 1_000_000, 2_000_000_000);
  const arbitrary = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return schema.not
    ? arbitrary.filter((value) => value !== (schema.not as { const?: unknown }).const)
    : arbitrary;
}

/** Values that follow `schema` (and its examples, and the hints for a property's name). */
export function arbitraryFromSchema(schema: JsonSchema, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
  const generated = fromSchema(schema, hints, depth);
  const examples = schema.examples ?? [];
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), generated) : generated;
}

function fromSchema(schema: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives)
    return fc.oneof(...alternatives.map((alternative) => arbitraryFromSchema(alternative, hints, depth)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => fromSchema({ ...schema, type }, hints, depth)));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (schema.minItems as number | undefined) ?? 0;
      return fc.array(arbitraryFromSchema(schema.items ?? {}, hints, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 3, 3)),
      });
    }
    case 'object':
      return objectArbitrary(schema, hints, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0) {
    return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
  }
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const hinted = hints[name];
      const generated = arbitraryFromSchema(property, hints, depth + 1);
      return [
        name,
        hinted?.length
          ? fc.oneof(
              { arbitrary: fc.constantFrom(...hinted), weight: 3 },
              { arbitrary: generated, weight: 1 },
            )
          : generated,
      ];
    }),
  );
  return fc.record(fields, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
}

/** JSON nested `depth` levels deep, as arrays or objects. */
function nested(depth: number, asObject: boolean): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = asObject ? { a: value } : [value];
  return value;
}

/**
 * A value that breaks a schema somewhere: the wrong type, a huge string, deep nesting. Depths stay at or
 * below 1,000: the 10,000-deep `metadata` that overflows the stack is a known failure fixed on its own.
 */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', ' ', '\u0000', [], {}, '__proto__', 'NaN'),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(10_000, 600_000).map((length) => 'x'.repeat(length)),
  fc
    .tuple(fc.integer({ min: 50, max: 1_000 }), fc.boolean())
    .map(([depth, asObject]) => nested(depth, asObject)),
);

/** Breaks an object (a JSON body): one property wrong, a required one gone, or unknown ones added. */
export function mutateObject(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrongValue;
  const keys = Object.keys(value);
  return fc.oneof(
    fc
      .tuple(keys.length ? fc.constantFrom(...keys) : fc.constant('extra'), wrongValue)
      .map(([key, wrong]) => ({
        ...value,
        [key]: wrong,
      })),
    keys.length
      ? fc.constantFrom(...keys).map((key) => {
          const { [key]: _removed, ...rest } = value as Record<string, unknown>;
          return rest;
        })
      : fc.constant({}),
    fc
      .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 })
      .map((extra) => ({ ...extra, ...value })),
  );
}
