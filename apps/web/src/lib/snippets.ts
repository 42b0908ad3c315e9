// Ready-to-paste code that calls a chatbot, for the Getting started page.

export type SnippetLanguage =
  | 'curl'
  | 'curl-stream'
  | 'javascript'
  | 'javascript-stream'
  | 'python'
  | 'python-stream'
  | 'openai-javascript'
  | 'openai-python';

export interface Snippet {
  language: SnippetLanguage;
  label: string;
  code: string;
}

export interface SnippetInput {
  /** Where the server is reached, e.g. `location.origin`. */
  origin: string;
  chatbotId: string;
  apiKey?: string;
  message?: string;
}

export const API_KEY_PLACEHOLDER = 'YOUR_API_KEY';

/** A JavaScript/Python string literal in single quotes. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Python string literal (JSON's double-quoted strings are valid Python). */
function pythonQuote(text: string): string {
  return JSON.stringify(text);
}

/** A string safe inside single quotes in a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The chat URL of a chatbot on a server. */
export function chatUrl(origin: string, chatbotId: string): string {
  return `${origin.replace(/\/+$/, '')}/api/v1/chatbots/${encodeURIComponent(chatbotId)}/chat`;
}

/** Every snippet for one chatbot: curl, JavaScript (fetch) and Python (requests), with and without streaming. */
export function buildSnippets(input: SnippetInput): Snippet[] {
  const url = chatUrl(input.origin, input.chatbotId);
  const key = input.apiKey ?? API_KEY_PLACEHOLDER;
  const message = input.message ?? 'Hello, how can you help me?';
  const body = JSON.stringify({ message });
  const streamBody = JSON.stringify({ message, stream: true });

  // `-s` prints the one JSON answer; `-N` prints a stream as it arrives.
  const curlCommand = (flag: '-s' | '-N', requestBody: string) =>
    [
      `curl ${flag} ${shellQuote(url)} \\`,
      `  -H ${shellQuote(`Authorization: Bearer ${key}`)} \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d ${shellQuote(requestBody)}`,
    ].join('\n');
  const curl = curlCommand('-s', body);
  const curlStream = curlCommand('-N', streamBody);

  // The JavaScript request both variants start with; `extraFields` are added to the JSON body.
  const fetchCall = (
    extraFields: string,
  ) => `// Node.js 18+ as an ES module. Keep API keys on your server, never in a web page.
const response = await fetch(${quote(url)}, {
  method: 'POST',
  headers: {
    Authorization: ${quote(`Bearer ${key}`)},
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ message: ${quote(message)}${extraFields} }),
});`;

  const javascript = `${fetchCall('')}
const result = await response.json();
if (!result.success) throw new Error(\`\${result.code}: \${result.error}\`);

console.log(result.data.response);
// Continue the conversation: send { message, conversationId: result.data.conversationId }
console.log(result.data.conversationId, result.data.usage);`;

  const javascriptStream = `${fetchCall(', stream: true')}
if (!response.ok) throw new Error((await response.json()).error);

// Server-Sent Events: "event: start | delta | done | error", then "data: {json}", then a blank line.
const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
let buffer = '';
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  buffer += value;
  let end;
  while ((end = buffer.indexOf('\\n\\n')) !== -1) {
    const frame = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    const event = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!event || !data) continue; // ": ping" keep-alive comments
    const payload = JSON.parse(data);
    if (event === 'delta') process.stdout.write(payload.content);
    if (event === 'done') console.log('\\n', payload.data.usage);
    if (event === 'error') throw new Error(payload.error);
  }
}`;

  const python = `import requests

response = requests.post(
    ${pythonQuote(url)},
    headers={"Authorization": ${pythonQuote(`Bearer ${key}`)}},
    json={"message": ${pythonQuote(message)}},
    timeout=120,
)
result = response.json()
if not result["success"]:
    raise RuntimeError(f"{result['code']}: {result['error']}")

print(result["data"]["response"])
# Continue the conversation: json={"message": ..., "conversationId": result["data"]["conversationId"]}
print(result["data"]["conversationId"], result["data"]["usage"])`;

  const pythonStream = `import json

import requests

with requests.post(
    ${pythonQuote(url)},
    headers={"Authorization": ${pythonQuote(`Bearer ${key}`)}},
    json={"message": ${pythonQuote(message)}, "stream": True},
    stream=True,
    timeout=120,
) as response:
    if response.status_code != 200:
        raise RuntimeError(response.json()["error"])
    event = None
    # Server-Sent Events: "event: start | delta | done | error", then "data: {json}".
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif line.startswith("data: "):
            payload = json.loads(line[len("data: "):])
            if event == "delta":
                print(payload["content"], end="", flush=True)
            elif event == "done":
                print()
                print(payload["data"]["usage"])
            elif event == "error":
                raise RuntimeError(payload["error"])`;

  return [
    { language: 'curl', label: 'curl', code: curl },
    { language: 'curl-stream', label: 'curl (streaming)', code: curlStream },
    { language: 'javascript', label: 'JavaScript', code: javascript },
    { language: 'javascript-stream', label: 'JavaScript (streaming)', code: javascriptStream },
    { language: 'python', label: 'Python', code: python },
    { language: 'python-stream', label: 'Python (streaming)', code: pythonStream },
  ];
}

/** The OpenAI-compatible base URL of a server: what an OpenAI client is configured with. */
export function openAiBaseUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/api/openai/v1`;
}

/** The chatbot through the official `openai` SDKs (JavaScript and Python), as an OpenAI-compatible model. */
export function buildOpenAiSnippets(input: SnippetInput): Snippet[] {
  const baseUrl = openAiBaseUrl(input.origin);
  const key = input.apiKey ?? API_KEY_PLACEHOLDER;
  const message = input.message ?? 'Hello, how can you help me?';

  const javascript = `// npm install openai. The base URL is PollyBot's, the API key a workspace key, the model a chatbot's id.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: ${quote(baseUrl)}, apiKey: ${quote(key)} });

const completion = await client.chat.completions.create({
  model: ${quote(input.chatbotId)},
  messages: [{ role: 'user', content: ${quote(message)} }],
});
console.log(completion.choices[0].message.content);

// Streaming: add stream: true, then
// for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`;

  const python = `# pip install openai. The base URL is PollyBot's, the API key a workspace key, the model a chatbot's id.
from openai import OpenAI

client = OpenAI(base_url=${pythonQuote(baseUrl)}, api_key=${pythonQuote(key)})

completion = client.chat.completions.create(
    model=${pythonQuote(input.chatbotId)},
    messages=[{"role": "user", "content": ${pythonQuote(message)}}],
)
print(completion.choices[0].message.content)

# Streaming: add stream=True, then
# for chunk in stream:
#     if chunk.choices:
#         print(chunk.choices[0].delta.content or "", end="")`;

  return [
    { language: 'openai-javascript', label: 'OpenAI SDK (JavaScript)', code: javascript },
    { language: 'openai-python', label: 'OpenAI SDK (Python)', code: python },
  ];
}
