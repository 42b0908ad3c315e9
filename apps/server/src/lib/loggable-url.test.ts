import { describe, expect, it } from 'vitest';
import { toLoggableUrl } from './loggable-url.ts';

describe('toLoggableUrl', () => {
  it.each([
    ['/api/v1/workspace', '/api/v1/workspace'],
    ['/api/v1/chatbots?limit=20&cursor=01abc', '/api/v1/chatbots?limit=20&cursor=01abc'],
    [
      '/api/v1/conversations?q=my%20secret&userId=alice',
      '/api/v1/conversations?q=[redacted]&userId=[redacted]',
    ],
    [
      '/api/v1/conversations?chatbotId=01x&q=secret&limit=5',
      '/api/v1/conversations?chatbotId=01x&q=[redacted]&limit=5',
    ],
    ['/x?email=a%40b.c&token', '/x?email=[redacted]&token=[redacted]'],
    ['/x?alice%40example.com=1&%3Cscript%3E', '/x?[redacted]&[redacted]'],
    ['/x?', '/x?'],
  ])('logs %s as %s', (url, expected) => {
    expect(toLoggableUrl(url)).toBe(expected);
  });
});
