import { describe, expect, it } from 'vitest';
import {
  checkDateRange,
  countActiveFilters,
  EMPTY_FILTERS,
  inboxQuery,
  localDayToIso,
} from './inbox-filters.ts';

describe('inbox filters', () => {
  it('turns local days into the start and end of the day as UTC timestamps', () => {
    const start = localDayToIso('2026-11-24', 'start');
    const end = localDayToIso('2026-11-24', 'end');
    expect(start && new Date(start).getDate()).toBe(24);
    expect(end && new Date(end).getHours()).toBe(23);
    expect(localDayToIso('24/11/2026', 'start')).toBeUndefined();
  });

  it('leaves empty filters out of the query and trims text', () => {
    expect(inboxQuery(EMPTY_FILTERS)).toEqual({
      chatbotId: undefined,
      from: undefined,
      to: undefined,
      userId: undefined,
      q: undefined,
    });
    expect(inboxQuery({ ...EMPTY_FILTERS, userId: ' u1 ', q: ' refund ' })).toMatchObject({
      userId: 'u1',
      q: 'refund',
    });
  });

  it('counts active filters and refuses a reversed date range', () => {
    expect(countActiveFilters({ ...EMPTY_FILTERS, q: 'x', chatbotId: 'cb' })).toBe(2);
    expect(checkDateRange({ ...EMPTY_FILTERS, from: '2026-11-25', to: '2026-11-24' })).toBeDefined();
    expect(checkDateRange({ ...EMPTY_FILTERS, from: '2026-11-24', to: '2026-11-24' })).toBeUndefined();
  });
});
