import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchRetrieval, type RetrievalResult } from './scenarios/retrieval.ts';

// `npm run bench`: PollyBot's own cost, measured on this machine. Prints a table and writes
// bench/results/<date>.json. `--quick` runs a small version of every scenario (CI keeps it working).

const RESULTS_DIR = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
  },
});
const wanted = (name: string) => !values.scenario || values.scenario.includes(name);
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function runRetrieval(): Promise<RetrievalResult[]> {
  const chunks = values.quick ? 500 : 10_000;
  const queries = values.quick ? 40 : 400;
  const setups: { label: string; dialect: 'sqlite' | 'postgres'; vectorDimensions?: number }[] = [];
  const dialects: ('sqlite' | 'postgres')[] = process.env.TEST_DATABASE_URL
    ? ['sqlite', 'postgres']
    : ['sqlite'];
  for (const dialect of dialects) {
    const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    setups.push({ label: `${name}, full text`, dialect });
    // 512 dimensions: the built-in encoder; 1,536: OpenAI's text-embedding-3-small.
    for (const vectorDimensions of values.quick ? [512] : [512, 1536]) {
      setups.push({ label: `${name}, full text + ${vectorDimensions}-d vectors`, dialect, vectorDimensions });
    }
  }
  const results: RetrievalResult[] = [];
  for (const setup of setups) {
    process.stdout.write(`retrieval: ${setup.label}, ${chunks} chunks...\n`);
    results.push(await benchRetrieval({ ...setup, chunks, queries }));
  }
  console.log(
    `\nRetrieval per chat turn (findChatKnowledge), ${queries} questions, median and tail. Vectors come from ` +
      'an instant hashing embedder: the figures are the vector search itself, without an embedding model’s time.',
  );
  console.table(
    results.map((result) => ({
      setup: result.label,
      chunks: result.chunks,
      'ingest (s)': result.ingestSeconds.toFixed(1),
      'p50 with knowledge': ms(result.withKnowledge.p50),
      'p99 with knowledge': ms(result.withKnowledge.p99),
      'p50 without': ms(result.withoutKnowledge.p50),
      'added p50': ms(result.addedP50),
      'target (< 20 ms)': result.addedP50 < 20 ? 'met' : 'MISSED',
    })),
  );
  return results;
}

async function main(): Promise<void> {
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    quick: values.quick,
  };
  if (wanted('retrieval')) report.retrieval = await runRetrieval();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${new Date().toISOString().slice(0, 10)}${values.quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nResults written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
