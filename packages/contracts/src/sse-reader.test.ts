import { describe, expect, it } from 'vitest';
import {
  createSseReader,
  parseChatStreamEvent,
  readSseStream,
  type SseMessage,
  toChatStreamEvent,
} from './sse-reader.ts';

function parseAll(chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const reader = createSseReader((message) => messages.push(message));
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return messages;
}

const STREAM =
  'event: start\ndata: {"conversationId":"c1","messageId":"m1"}\n\n' +
  ': ping\n\n' +
  'event: delta\ndata: {"content":"Hel"}\n\n' +
  'event: delta\ndata: {"content":"lo!"}\n\n' +
  'event: done\ndata: {"success":true,"data":{"response":"Hello!","conversationId":"c1","messageId":"m1","usage":{"inputTokens":3,"outputTokens":2,"credits":1}}}\n\n';

describe('createSseReader', () => {
  it('reads the events of a chat stream in order and skips ping comments', () => {
    const events = parseAll([STREAM]).map((message) => message.event);
    expect(events).toEqual(['start', 'delta', 'delta', 'done']);
  });

  it('gives the same events however the text is cut into chunks', () => {
    const whole = parseAll([STREAM]);
    for (const size of [1, 2, 3, 7, 13]) {
      const chunks: string[] = [];
      for (let index = 0; index < STREAM.length; index += size)
        chunks.push(STREAM.slice(index, index + size));
      expect(parseAll(chunks)).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line endings, even with CRLF split across chunks', () => {
    const crlf = 'event: delta\r\ndata: {"content":"a"}\r\n\r\n';
    expect(parseAll(['event: delta\r', '\ndata: {"content":"a"}\r', '\n\r', '\n'])).toEqual(parseAll([crlf]));
    expect(parseAll(['event: delta\rdata: {"content":"a"}\r\r'])).toEqual([
      { event: 'delta', data: '{"content":"a"}' },
    ]);
  });

  it('joins multi-line data with newlines and strips one leading space only', () => {
    expect(parseAll(['data:  two spaces\ndata:second\n\n'])).toEqual([
      { event: 'message', data: ' two spaces\nsecond' },
    ]);
  });

  it('drops an event the stream cut before its blank line', () => {
    expect(parseAll(['event: delta\ndata: {"content":"x"}\n'])).toEqual([]);
  });

  it('ignores id and retry fields and events without data', () => {
    expect(parseAll(['id: 7\nretry: 100\nevent: start\n\n'])).toEqual([]);
  });
});

describe('toChatStreamEvent', () => {
  it('types start, delta and done events', () => {
    const [start, delta, , done] = parseAll([STREAM]).map(toChatStreamEvent);
    expect(start).toEqual({ event: 'start', data: { conversationId: 'c1', messageId: 'm1' } });
    expect(delta).toEqual({ event: 'delta', data: { content: 'Hel' } });
    expect(done?.event).toBe('done');
  });

  it('keeps the extra fields of an error envelope', () => {
    const event = toChatStreamEvent({
      event: 'error',
      data: '{"success":false,"error":"The AI provider failed","code":"AI_PROVIDER_ERROR","conversationId":"c1"}',
    });
    expect(event).toEqual({
      event: 'error',
      data: {
        success: false,
        error: 'The AI provider failed',
        code: 'AI_PROVIDER_ERROR',
        conversationId: 'c1',
      },
    });
  });

  it('returns undefined for unknown events, malformed JSON and missing fields', () => {
    expect(toChatStreamEvent({ event: 'message', data: '{}' })).toBeUndefined();
    expect(toChatStreamEvent({ event: 'delta', data: 'not json' })).toBeUndefined();
    expect(toChatStreamEvent({ event: 'delta', data: '{"text":"x"}' })).toBeUndefined();
    expect(toChatStreamEvent({ event: 'done', data: '{"success":false}' })).toBeUndefined();
  });
});

describe('readSseStream', () => {
  it('reads events from bytes cut inside a character and inside an event', async () => {
    const bytes = new TextEncoder().encode(
      'id: 0\nevent: delta\ndata: {"content":"Grüße"}\n\nevent: delta\ndata: {"c',
    );
    const cut = bytes.indexOf(0xc3) + 1;
    async function* chunks() {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    }
    const read: SseMessage[] = [];
    for await (const message of readSseStream(chunks())) read.push(message);
    expect(read).toEqual([{ id: '0', event: 'delta', data: '{"content":"Grüße"}' }]);
  });
});

describe('parseChatStreamEvent', () => {
  it('gives an event the contract defines, with its id', () => {
    expect(parseChatStreamEvent({ id: '3', event: 'delta', data: '{"content":"Hel"}' })).toEqual({
      id: '3',
      event: 'delta',
      data: { content: 'Hel' },
    });
  });

  it('throws for an event the contract does not define, or one without a valid id', () => {
    expect(() => parseChatStreamEvent({ id: '3', event: 'delta', data: '{"text":"Hel"}' })).toThrow();
    expect(() => parseChatStreamEvent({ id: '3', event: 'message', data: '{}' })).toThrow();
    expect(() => parseChatStreamEvent({ event: 'delta', data: '{"content":"Hel"}' })).toThrow();
    expect(() => parseChatStreamEvent({ id: 'x', event: 'delta', data: '{"content":"Hel"}' })).toThrow();
  });
});
