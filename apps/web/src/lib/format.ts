// Display helpers: numbers, credits, dates and JSON as people read them (en-US, the reader's time zone).

const integerFormat = new Intl.NumberFormat('en-US');
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 12345 -> "12,345". */
export function formatNumber(value: number): string {
  return integerFormat.format(value);
}

/** 12345 -> "12.3K", for chart axes. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/** 1 -> "1 credit", 1200 -> "1,200 credits". */
export function formatCredits(value: number): string {
  return `${formatNumber(value)} ${Math.abs(value) === 1 ? 'credit' : 'credits'}`;
}

/** A signed amount for the ledger: "+1,000" or "−1". */
export function formatSignedAmount(value: number): string {
  if (value > 0) return `+${formatNumber(value)}`;
  if (value < 0) return `\u2212${formatNumber(Math.abs(value))}`;
  return '0';
}

/** "3 messages", "1 message". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB'];

/** A size in bytes as people read it, in units of 1,024: 512 -> "512 bytes", 1536 -> "1.5 KB", 52428800 -> "50 MB"; one decimal below 100. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return pluralize(bytes, 'byte');
  let value = bytes;
  let unit = '';
  for (const next of BYTE_UNITS) {
    value /= 1024;
    unit = next;
    if (value < 1024) break;
  }
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${formatNumber(rounded)} ${unit}`;
}

/** An ISO timestamp as "Nov 24, 2026, 5:42 PM" in the reader's time zone. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  });
}

/** A UTC day ("2026-11-24") as "Nov 24". */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

const relativeUnits: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relativeFormat = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", "in 2 days". */
export function formatRelativeTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of relativeUnits) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return relativeFormat.format(Math.round(seconds / 60) || (seconds < 0 ? -1 : 1), 'minute');
}

/** A rate limit as a sentence: {60, 60} -> "60 / minute", {100, 3600} -> "100 / hour", {5, 90} -> "5 / 90 s". */
export function formatRateLimit(limit: { requests: number; windowSeconds: number }): string {
  const named: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day' };
  const unit = named[limit.windowSeconds];
  return `${formatNumber(limit.requests)} / ${unit ?? `${formatNumber(limit.windowSeconds)} s`}`;
}

/** Pretty JSON for metadata; "—" for nothing. */
export function formatJson(value: unknown): string {
  if (value === null || value === undefined) return '\u2014';
  return JSON.stringify(value, null, 2);
}

/** Cuts text to `max` characters on a word boundary where one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  // The cut already ends a word when the next character is a space.
  const space = flat[max] === ' ' ? max : cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}\u2026`;
}

const LEDGER_REASONS: Record<string, string> = {
  grant: 'Credits added',
  adjustment: 'Operator adjustment',
  reservation: 'Chat reply',
  release: 'Refund: reply not charged',
};

/** A credit ledger reason as people read it; unknown reasons ("admin_bonus") are humanised. */
export function describeLedgerReason(reason: string): string {
  return LEDGER_REASONS[reason] ?? humanizeReason(reason);
}

/** A machine word such as "chat_reply" or "admin-adjustment" as "Chat reply". */
export function humanizeReason(reason: string): string {
  const words = reason.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Adjustment';
}

/** Seconds as "45 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** Initials for an avatar: "Ada Lovelace" -> "AL". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
  return `${first.charAt(0)}${last.charAt(0)}`.toUpperCase();
}

/** "owner" -> "Owner". */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
