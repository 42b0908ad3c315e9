import { describe, expect, it } from 'vitest';
import { formatSseEvent, SSE_PING } from './sse.ts';

describe('formatSseEvent', () => {
  it('frames an event with its JSON data on one line and a blank line after', () => {
    expect(formatSseEvent('delta', { content: 'Hel' })).toBe('event: delta\ndata: {"content":"Hel"}\n\n');
  });

  it('keeps newlines in content inside the JSON, so one event stays one data line', () => {
    const framed = formatSseEvent('delta', { content: 'line one\nline two\r\n\n' });
    expect(framed.split('\n')).toHaveLength(4);
    expect(JSON.parse(framed.split('\n')[1]?.slice('data: '.length) ?? '')).toEqual({
      content: 'line one\nline two\r\n\n',
    });
  });

  it('pings with a comment line', () => {
    expect(SSE_PING).toBe(': ping\n\n');
  });
});
