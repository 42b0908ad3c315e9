import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createLocalModel, estimateTokens, splitIntoDeltas } from './local-model.ts';

describe('splitIntoDeltas', () => {
  it('splits into word-sized pieces that join back to the exact text', () => {
    const text = '  Hello,  world!\nNew line\ttab ';
    const deltas = splitIntoDeltas(text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
  });

  it('gives nothing for an empty reply', () => {
    expect(splitIntoDeltas('')).toEqual([]);
  });
});

describe('createLocalModel', () => {
  it('streams the responder’s reply through the AI SDK with the chatbot name, message and history', async () => {
    const seen: unknown[] = [];
    const model = createLocalModel('pollybot', (input) => {
      seen.push(input);
      return `Reply to ${input.message} from ${input.chatbotName}`;
    });

    const result = streamText({
      model,
      system: 'Be kind.',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: 'second' },
      ],
      providerOptions: { local: { chatbotName: 'Helper' } },
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;

    expect(text).toBe('Reply to second from Helper');
    expect(seen).toEqual([
      {
        chatbotName: 'Helper',
        instructions: 'Be kind.',
        message: 'second',
        history: [
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'answer' },
        ],
      },
    ]);
    const usage = await result.totalUsage;
    expect(usage.outputTokens).toBe(estimateTokens(text));
    expect(usage.inputTokens).toBeGreaterThan(0);
  });
});
