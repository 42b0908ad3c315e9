import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Check } from './report.ts';
import { formatMs, printTable, verdict } from './report.ts';
import { benchJsonChat } from './scenarios/json-chat.ts';
import { benchLongConversation } from './scenarios/long-conversation.ts';
import { benchOpenStreams } from './scenarios/open-streams.ts';
import { benchRetrieval, type RetrievalResult } from './scenarios/retrieval.ts';
import { benchStoredMessages } from './scenarios/stored-messages.ts';
import { benchStreaming } from './scenarios/streaming.ts';

// `npm run bench`: PollyBot's own cost, measured on this machine. Prints a table and writes
// bench/results/<date>.json. `--quick` runs a small version of every scenario (CI keeps it working).

const RESULTS_DIR = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
  },
});
const SCENARIOS = [
  'json-chat',
  'streaming',
  'open-streams',
  'long-conversation',
  'stored-messages',
  'retrieval',
] as const;
type ScenarioName = (typeof SCENARIOS)[number];
for (const name of values.scenario ?? []) {
  if (!(SCENARIOS as readonly string[]).includes(name)) {
    console.error(`Unknown scenario ${name}; the scenarios are ${SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}
const wanted = (name: ScenarioName) => !values.scenario || values.scenario.includes(name);
const ms = formatMs;

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
  const checks: Check[] = [];
  const started = process.hrtime.bigint();
  const quick = { quick: values.quick };
  // Each result goes into the report under its key; the retrieval table checks its own target.
  const runners: Record<ScenarioName, () => Promise<{ checks: Check[] } | RetrievalResult[]>> = {
    'json-chat': () => benchJsonChat(quick),
    streaming: () => benchStreaming(quick),
    'open-streams': () => benchOpenStreams(quick),
    'long-conversation': () => benchLongConversation(quick),
    'stored-messages': () => benchStoredMessages(quick),
    retrieval: runRetrieval,
  };
  for (const name of SCENARIOS) {
    if (!wanted(name)) continue;
    const result = await runners[name]();
    report[name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())] = result;
    if (!Array.isArray(result)) checks.push(...result.checks);
    else
      checks.push(
        ...result.map((entry) => ({
          scenario: 'retrieval',
          figure: `${entry.label}: added per turn over ${entry.chunks} chunks (p50)`,
          value: ms(entry.addedP50),
          target: '< 20 ms',
          met: entry.addedP50 < 20,
        })),
      );
  }
  report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  report.checks = checks;
  if (checks.length > 0) {
    printTable(
      'Targets, as ratios within this run',
      checks.map((check) => ({
        scenario: check.scenario,
        figure: check.figure,
        value: check.value,
        target: check.target,
        verdict: verdict(check.met),
      })),
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${new Date().toISOString().slice(0, 10)}${values.quick ? '-quick' : ''}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nResults written to ${file} (${(report.seconds as number).toFixed(0)} s in all)`);
}

main().then(
  // Ends the children (see processes.ts) and whatever handles the scenarios left open.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
