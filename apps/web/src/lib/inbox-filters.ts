import type { Query } from '../api/client.ts';

/** The inbox filters as typed in the form. Dates are local calendar days ("2026-11-24"). */
export interface InboxFilters {
  chatbotId: string;
  from: string;
  to: string;
  userId: string;
  q: string;
}

export const EMPTY_FILTERS: InboxFilters = { chatbotId: '', from: '', to: '', userId: '', q: '' };

/** A local calendar day's first (or last) millisecond as an ISO-8601 UTC timestamp. */
export function localDayToIso(day: string, edge: 'start' | 'end'): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, year, month, date] = match;
  const local =
    edge === 'start'
      ? new Date(Number(year), Number(month) - 1, Number(date), 0, 0, 0, 0)
      : new Date(Number(year), Number(month) - 1, Number(date), 23, 59, 59, 999);
  return Number.isNaN(local.getTime()) ? undefined : local.toISOString();
}

/** The query of GET /api/v1/conversations for these filters; `to` includes the whole day. */
export function inboxQuery(filters: InboxFilters): Query {
  return {
    chatbotId: filters.chatbotId || undefined,
    from: filters.from ? localDayToIso(filters.from, 'start') : undefined,
    to: filters.to ? localDayToIso(filters.to, 'end') : undefined,
    userId: filters.userId.trim() || undefined,
    q: filters.q.trim() || undefined,
  };
}

/** How many filters are in use. */
export function countActiveFilters(filters: InboxFilters): number {
  return Object.values(filters).filter((value) => value.trim() !== '').length;
}

/** A date range the server would refuse or that matches nothing. */
export function checkDateRange(filters: InboxFilters): string | undefined {
  if (filters.from && filters.to && filters.from > filters.to) return 'The start date is after the end date.';
  return undefined;
}
