// How a scenario states its figures: each beside the figure it is compared with, as a ratio, and each target
// as `met` or `MISSED`. Scenarios return their checks; run.ts prints them all once more at the end.

/** One target of the issue, checked against one run's figures. */
export type Check = {
  scenario: string;
  /** What is checked, e.g. "PollyBot, SQLite: JSON chat at concurrency 16, requests/s". */
  figure: string;
  /** The figure as measured, formatted. */
  value: string;
  /** The target, e.g. ">= 0.6x baseline". */
  target: string;
  met: boolean;
};

export const formatMs = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a');
export const formatRate = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
export const formatRatio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
export const formatKb = (bytes: number) =>
  Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a';
export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** `value / reference`, NaN when either is missing or the reference is zero. */
export function ratio(value: number, reference: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return Number.NaN;
  return value / reference;
}

/** A check that `value` is at least `minimum` (NaN never meets it). */
export function atLeast(value: number, minimum: number): boolean {
  return Number.isFinite(value) && value >= minimum;
}

/** A check that `value` is at most `maximum` (NaN never meets it). */
export function atMost(value: number, maximum: number): boolean {
  return Number.isFinite(value) && value <= maximum;
}

/** Prints a scenario's title and its table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  console.table(rows);
}
