import { describe, expect, it } from 'vitest';
import { buildEmbedSnippet, buildIdentitySigningExample } from './widget-snippets.ts';

const KEY = 'pk-chatbot_0123456789abcdefghijABCDEFGHIJkl';

describe('buildEmbedSnippet', () => {
  it('loads widget.js from the server with the publishable key, asynchronously', () => {
    expect(buildEmbedSnippet('https://bots.example.com', KEY)).toBe(
      `<script src="https://bots.example.com/widget.js" data-chatbot="${KEY}" async></script>`,
    );
  });

  it('drops a trailing slash of the origin and escapes what would end the attribute', () => {
    expect(buildEmbedSnippet('http://127.0.0.1:3000/', 'a"b<c>&')).toBe(
      '<script src="http://127.0.0.1:3000/widget.js" data-chatbot="a&quot;b&lt;c&gt;&amp;" async></script>',
    );
  });
});

describe('buildIdentitySigningExample', () => {
  it('signs HS256 with the subject, an expiry within 24 hours and this chatbot as the audience', () => {
    const code = buildIdentitySigningExample('bot_"1"');
    expect(code).toContain("import { SignJWT } from 'jose';");
    expect(code).toContain("setProtectedHeader({ alg: 'HS256' })");
    expect(code).toContain('.setSubject(String(user.id))');
    expect(code).toContain(".setExpirationTime('1h')");
    expect(code).toContain('.setAudience("bot_\\"1\\"")');
    expect(code).toContain('process.env.POLLYBOT_IDENTITY_SECRET');
  });
});
