import fc from 'fast-check';
import type { JsonSchema } from './openapi.ts';
import { arbitraryFromSchema, type Hints, mutateObject, wrongValue } from './schema-arbitraries.ts';

// The parts of generated HTTP requests that know nothing of a test's fixtures: odd path segments, query
// values, header values and bodies, JSON or multipart/form-data.

/** Ids no route expects: traversal, bad escapes, NUL, other scripts, injection, too long. Sent verbatim. */
export const ODD_PATH_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%00',
  '%ZZ',
  '%',
  '%2F',
  'a%2Fb',
  '%E0%A4%A',
  encodeURIComponent('ünïcødé-🙂'),
  encodeURIComponent("1' OR '1'='1"),
  '%20',
  'x'.repeat(65),
  'y'.repeat(2_000),
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

export const ODD_QUERY_VALUES = [
  '',
  '-1',
  '0',
  '1e309',
  'abc',
  '%ZZ',
  '%00',
  'null',
  'x'.repeat(5_000),
  '2025-13-45',
];

/** Header values Node sends: tab, printable ASCII and Latin-1, no line breaks. */
export const headerText = fc
  .string({ maxLength: 300, unit: 'binary' })
  .map((text) => text.replace(/[^\t\x20-\x7e\xa0-\xff]/g, ''));

const ODD_BODIES = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '{"a":',
  '\u0000',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
];

export function jsonBodyArbitrary(
  schema: JsonSchema,
  hints: Hints,
): fc.Arbitrary<{ text: string; contentType: string }> {
  const valid = arbitraryFromSchema(schema, hints);
  const value = fc.oneof(
    { arbitrary: valid, weight: 16 },
    { arbitrary: valid.chain(mutateObject), weight: 10 },
    { arbitrary: wrongValue, weight: 3 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    fc.constantFrom(
      'text/plain',
      'application/xml',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
    ),
  );
  return fc.oneof(
    {
      arbitrary: fc.record({ text: value.map((body) => JSON.stringify(body) ?? 'null'), contentType }),
      weight: 40,
    },
    {
      arbitrary: fc.record({
        text: fc.constantFrom(...ODD_BODIES),
        contentType: fc.constant('application/json'),
      }),
      weight: 4,
    },
    // Past the body limit.
    {
      arbitrary: fc.constant({
        text: JSON.stringify({ message: 'x'.repeat(1_100_000) }),
        contentType: 'application/json',
      }),
      weight: 1,
    },
  );
}

export function multipartArbitrary(): fc.Arbitrary<{ body: Buffer; contentType: string }> {
  const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
  const part = (name: string, value: string, fileName?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${fileName === undefined ? '' : `; filename="${fileName}"`}\r\n` +
    `${fileName === undefined ? '' : 'Content-Type: application/octet-stream\r\n'}\r\n${value}\r\n`;
  return fc
    .record({
      fileName: fc.option(
        fc.constantFrom(
          'faq.md',
          'notes.txt',
          'page.html',
          'scan.pdf',
          'letter.docx',
          'run.exe',
          '',
          '../../etc/passwd',
          'ünï.txt',
        ),
      ),
      content: fc.oneof(
        fc.constant('# Opening hours\n\nWe open at 8:00.'),
        fc.string({ maxLength: 200, unit: 'binary' }),
      ),
      title: fc.option(fc.oneof(fc.constant('Opening hours'), fc.string({ maxLength: 300 }))),
      extra: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, fc.constant('unexpected')),
    })
    .map(({ fileName, content, title, extra }) => ({
      body: Buffer.from(
        (fileName === null ? '' : part('file', content, fileName)) +
          (title === null ? '' : part('title', title)) +
          (extra === null ? '' : part('extra', extra)) +
          `--${boundary}--\r\n`,
      ),
      contentType: `multipart/form-data; boundary=${boundary}`,
    }));
}

/** Headers no operation documents, which each could trip a server up. */
export const ODD_HEADERS: Record<string, string>[] = [
  { accept: 'text/event-stream' },
  { accept: 'application/xml' },
  { 'content-encoding': 'gzip' },
  { 'x-forwarded-for': 'not-an-address, ::1' },
  { 'x-forwarded-proto': 'https' },
  { cookie: `pollybot_session=${'a'.repeat(4_000)}` },
  { 'x-csrf-token': 'forged' },
  { 'idempotency-key': 'x', 'last-event-id': '5-end' },
];
