import { describe, expect, it } from 'vitest';
import { formatSseEvent, SSE_PING } from './sse.ts';

describe('formatSseEvent', () => {
  it('frames an event with its id, its JSON data on one line and a blank line after', () => {
    expect(formatSseEvent({ id: '3', event: 'delta', data: { content: 'Hel' } })).toBe(
      'id: 3\nevent: delta\ndata: {"content":"Hel"}\n\n',
    );
  });

  it('keeps newlines in content inside the JSON, so one event stays one data line', () => {
    const framed = formatSseEvent({
      id: '21',
      event: 'delta',
      data: { content: 'line one\nline two\r\n\n' },
    });
    expect(framed.split('\n')).toHaveLength(5);
    expect(JSON.parse(framed.split('\n')[2]?.slice('data: '.length) ?? '')).toEqual({
      content: 'line one\nline two\r\n\n',
    });
  });

  it('pings with a comment line', () => {
    expect(SSE_PING).toBe(': ping\n\n');
  });
});
