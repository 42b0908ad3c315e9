import { describe, expect, it } from 'vitest';
import { API_KEY_PLACEHOLDER, buildOpenAiSnippets, buildSnippets, chatUrl } from './snippets.ts';

describe('buildSnippets', () => {
  const snippets = buildSnippets({ origin: 'http://127.0.0.1:3000/', chatbotId: 'cb_123' });
  const byLanguage = Object.fromEntries(snippets.map((snippet) => [snippet.language, snippet.code]));

  it('writes one snippet per language, each with the chat URL and the key placeholder', () => {
    expect(snippets.map((snippet) => snippet.language)).toEqual([
      'curl',
      'curl-stream',
      'javascript',
      'javascript-stream',
      'python',
      'python-stream',
    ]);
    for (const snippet of snippets) {
      expect(snippet.code).toContain('http://127.0.0.1:3000/api/v1/chatbots/cb_123/chat');
      expect(snippet.code).toContain(`Bearer ${API_KEY_PLACEHOLDER}`);
    }
  });

  it('asks for a stream only in the streaming variants', () => {
    expect(byLanguage.curl).not.toContain('stream');
    expect(byLanguage['curl-stream']).toContain('"stream":true');
    expect(byLanguage['curl-stream']).toContain('curl -N');
    expect(byLanguage['javascript-stream']).toContain('stream: true');
    expect(byLanguage['javascript-stream']).toContain("event === 'delta'");
    expect(byLanguage['python-stream']).toContain('"stream": True');
    expect(byLanguage.python).toContain('import requests');
  });

  it('quotes a message with quotes safely for the shell, JavaScript and Python', () => {
    const [curl, , javascript, , python] = buildSnippets({
      origin: 'https://bots.example.com',
      chatbotId: 'cb',
      message: 'It\'s "quoted"',
      apiKey: 'sk-workspace_abc',
    }).map((snippet) => snippet.code);
    expect(curl).toContain(`-d '{"message":"It'\\''s \\"quoted\\""}'`);
    expect(javascript).toContain(`message: 'It\\'s "quoted"'`);
    expect(python).toContain(`json={"message": "It's \\"quoted\\""}`);
    expect(curl).toContain('Bearer sk-workspace_abc');
  });

  it('encodes the chatbot id in the URL', () => {
    expect(chatUrl('http://h', 'a/b')).toBe('http://h/api/v1/chatbots/a%2Fb/chat');
  });
});

describe('buildOpenAiSnippets', () => {
  it('configures the openai SDKs with the OpenAI-compatible base URL, the key and the chatbot id as the model', () => {
    const [javascript, python] = buildOpenAiSnippets({
      origin: 'http://127.0.0.1:3000/',
      chatbotId: 'cb_123',
    });

    expect(javascript?.language).toBe('openai-javascript');
    expect(javascript?.code).toContain("import OpenAI from 'openai';");
    expect(javascript?.code).toContain(
      `new OpenAI({ baseURL: 'http://127.0.0.1:3000/api/openai/v1', apiKey: '${API_KEY_PLACEHOLDER}' })`,
    );
    expect(javascript?.code).toContain("model: 'cb_123',");
    expect(python?.language).toBe('openai-python');
    expect(python?.code).toContain('from openai import OpenAI');
    expect(python?.code).toContain(
      `OpenAI(base_url="http://127.0.0.1:3000/api/openai/v1", api_key="${API_KEY_PLACEHOLDER}")`,
    );
    expect(python?.code).toContain('model="cb_123",');
  });
});
