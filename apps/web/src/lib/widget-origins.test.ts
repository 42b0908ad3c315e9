import { MAX_ALLOWED_ORIGINS } from '@pollybot/contracts';
import { describe, expect, it } from 'vitest';
import { describeOriginErrors, formatOrigins, parseOrigins } from './widget-origins.ts';

describe('parseOrigins', () => {
  it('reads one origin a line, skipping blank lines, normalised and each once', () => {
    const parsed = parseOrigins(
      '  https://www.example.com  \n\nhttp://localhost:5173\nHTTPS://Shop.Example.com/\nhttps://www.example.com\n',
    );
    expect(parsed).toEqual({
      origins: ['https://www.example.com', 'http://localhost:5173', 'https://shop.example.com'],
      errors: [],
    });
  });

  it('answers an empty list for an empty box (the key then refuses every site)', () => {
    expect(parseOrigins(' \n \n')).toEqual({ origins: [], errors: [] });
  });

  it('names each line that is not an origin, with why, and keeps the good ones', () => {
    const parsed = parseOrigins(
      [
        'https://ok.example',
        'example.com',
        'https://*.example.com',
        'ftp://files.example.com',
        'https://www.example.com/shop?x=1',
        'https://user:pw@example.com',
        'https://exa mple.com',
        'https://www.example.com/#top',
      ].join('\n'),
    );
    expect(parsed.origins).toEqual(['https://ok.example']);
    expect(parsed.errors).toEqual([
      { line: 2, text: 'example.com', message: 'Add the scheme: https://example.com' },
      {
        line: 3,
        text: 'https://*.example.com',
        message: 'Wildcards are not accepted: list each site on its own line.',
      },
      {
        line: 4,
        text: 'ftp://files.example.com',
        message: 'Only http:// and https:// sites can embed the widget.',
      },
      {
        line: 5,
        text: 'https://www.example.com/shop?x=1',
        message: 'Leave out the path: https://www.example.com',
      },
      { line: 6, text: 'https://user:pw@example.com', message: 'Leave out the user name and password.' },
      {
        line: 7,
        text: 'https://exa mple.com',
        message: 'Not an address: write a site as https://www.example.com.',
      },
      {
        line: 8,
        text: 'https://www.example.com/#top',
        message: 'Leave out the path: https://www.example.com',
      },
    ]);
    expect(describeOriginErrors(parsed)?.split('\n')[0]).toBe(
      'Line 2 (example.com): Add the scheme: https://example.com',
    );
  });

  it('suggests http:// for a loopback host written without a scheme, https:// for any other', () => {
    const parsed = parseOrigins(
      [
        'localhost:5173',
        '127.0.0.1',
        '[::1]:8080',
        '//LOCALHOST/',
        'shop.example.com',
        'localhost.example.com',
      ].join('\n'),
    );
    expect(parsed.errors.map((error) => error.message)).toEqual([
      'Add the scheme: http://localhost:5173',
      'Add the scheme: http://127.0.0.1',
      'Add the scheme: http://[::1]:8080',
      'Add the scheme: http://LOCALHOST/',
      'Add the scheme: https://shop.example.com',
      'Add the scheme: https://localhost.example.com',
    ]);
  });

  it('accepts a default port and a trailing slash, as the server does, and keeps the origin', () => {
    expect(parseOrigins('http://localhost:80\nhttps://www.example.com:443/').origins).toEqual([
      'http://localhost',
      'https://www.example.com',
    ]);
  });

  it(`refuses more than ${MAX_ALLOWED_ORIGINS} origins, counting a repeated one once`, () => {
    const lines = Array.from({ length: MAX_ALLOWED_ORIGINS }, (_, index) => `https://site${index}.example`);
    expect(parseOrigins([...lines, lines[0]].join('\n')).tooMany).toBeUndefined();
    const parsed = parseOrigins([...lines, 'https://one-more.example'].join('\n'));
    expect(parsed.tooMany).toBe(
      `A key takes at most ${MAX_ALLOWED_ORIGINS} sites; you listed ${MAX_ALLOWED_ORIGINS + 1}. Make another key for the rest.`,
    );
    expect(describeOriginErrors(parsed)).toBe(parsed.tooMany);
  });

  it('shows a key’s origins in the box one per line, and reads them back unchanged', () => {
    const origins = ['https://www.example.com', 'http://localhost:5173'];
    expect(formatOrigins(origins)).toBe('https://www.example.com\nhttp://localhost:5173');
    expect(parseOrigins(formatOrigins(origins)).origins).toEqual(origins);
    expect(describeOriginErrors(parseOrigins(formatOrigins(origins)))).toBeUndefined();
  });
});
