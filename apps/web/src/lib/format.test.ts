import { describe, expect, it } from 'vitest';
import {
  describeLedgerReason,
  formatBytes,
  formatCompact,
  formatCredits,
  formatDateTime,
  formatDay,
  formatDuration,
  formatJson,
  formatNumber,
  formatRateLimit,
  formatRelativeTime,
  formatSignedAmount,
  humanizeReason,
  initials,
  pluralize,
  truncate,
} from './format.ts';

describe('format helpers', () => {
  it('formats file sizes in units of 1,024', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(50.3 * 1024 * 1024)).toBe('50.3 MB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GB');
  });

  it('formats numbers, credits and signed ledger amounts', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatCompact(12_345)).toBe('12.3K');
    expect(formatCredits(1)).toBe('1 credit');
    expect(formatCredits(1200)).toBe('1,200 credits');
    expect(formatSignedAmount(1000)).toBe('+1,000');
    expect(formatSignedAmount(-3)).toBe('\u22123');
    expect(formatSignedAmount(0)).toBe('0');
    expect(pluralize(1, 'reply', 'replies')).toBe('1 reply');
    expect(pluralize(2, 'message')).toBe('2 messages');
  });

  it('names rate-limit windows people know and falls back to seconds', () => {
    expect(formatRateLimit({ requests: 60, windowSeconds: 60 })).toBe('60 / minute');
    expect(formatRateLimit({ requests: 1000, windowSeconds: 3600 })).toBe('1,000 / hour');
    expect(formatRateLimit({ requests: 5, windowSeconds: 90 })).toBe('5 / 90 s');
  });

  it('tells relative times from a given now', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(formatRelativeTime('2026-11-24T11:59:40Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-24T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelativeTime('2026-11-23T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelativeTime('2026-11-10T12:00:00Z', now)).toBe('2 weeks ago');
    expect(formatRelativeTime('not a date', now)).toBe('not a date');
  });

  it('formats dates in a given zone and UTC days as month and day', () => {
    expect(formatDateTime('2026-11-24T17:42:00Z', 'UTC')).toBe('Nov 24, 2026, 5:42 PM');
    expect(formatDay('2026-11-01')).toBe('Nov 1');
  });

  it('formats durations for retry hints', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
  });

  it('pretty-prints metadata and shows a dash for none', () => {
    expect(formatJson({ userId: 'u1' })).toBe('{\n  "userId": "u1"\n}');
    expect(formatJson(null)).toBe('\u2014');
  });

  it('truncates on a word boundary and flattens whitespace', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('Hello there,\n  how are you today?', 20)).toBe('Hello there, how are\u2026');
  });

  it('humanizes ledger reasons and makes initials', () => {
    expect(humanizeReason('chat_reply')).toBe('Chat reply');
    expect(humanizeReason('admin-adjustment')).toBe('Admin adjustment');
    expect(describeLedgerReason('reservation')).toBe('Chat reply');
    expect(describeLedgerReason('release')).toContain('Refund');
    expect(describeLedgerReason('promo_bonus')).toBe('Promo bonus');
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('ada')).toBe('A');
    expect(initials('Grace Brewster Hopper')).toBe('GH');
  });
});
