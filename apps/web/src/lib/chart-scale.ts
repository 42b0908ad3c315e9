// Axis math for the usage charts.

/** Whole-number ticks from 0 in steps of 1, 2 or 5 times a power of ten, about `count` of them, covering `max`. */
export function axisTicks(max: number, count = 4): number[] {
  const top = Math.max(1, max);
  const raw = top / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power,
  );
  const ceiling = Math.ceil(top / step) * step;
  return Array.from({ length: Math.round(ceiling / step) + 1 }, (_, index) => index * step);
}

/** Which of `length` labels to show so that at most `maxLabels` appear, always the first and last. */
export function labelIndexes(length: number, maxLabels: number): Set<number> {
  const shown = new Set<number>();
  if (length <= 0) return shown;
  const every = Math.max(1, Math.ceil(length / Math.max(1, maxLabels)));
  for (let index = 0; index < length; index += every) shown.add(index);
  shown.add(length - 1);
  // Drop a label crowding the last one.
  if (length - 1 - Math.floor((length - 1) / every) * every < every / 2 && length > 1) {
    const crowding = Math.floor((length - 1) / every) * every;
    if (crowding !== length - 1 && crowding !== 0) shown.delete(crowding);
  }
  return shown;
}
