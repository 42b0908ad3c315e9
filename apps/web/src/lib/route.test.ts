import { describe, expect, it } from 'vitest';
import { href, parseHash } from './route.ts';

describe('parseHash', () => {
  it('reads segments and query from the hash', () => {
    const route = parseHash('#/conversations/cb%201/conv?x=1');
    expect(route.path).toBe('/conversations/cb 1/conv');
    expect(route.segments).toEqual(['conversations', 'cb 1', 'conv']);
    expect(route.query.get('x')).toBe('1');
  });

  it('treats an empty hash as the home route', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#/').segments).toEqual([]);
  });

  it('reads the invitation token of an accept link', () => {
    expect(parseHash('#/accept?token=abc_DEF-123').query.get('token')).toBe('abc_DEF-123');
  });

  it('keeps a malformed escape as it is', () => {
    expect(parseHash('#/chatbots/%E0%A4%A').segments).toEqual(['chatbots', '%E0%A4%A']);
  });
});

describe('href', () => {
  it('builds hash links and leaves out empty query values', () => {
    expect(href('/playground', { chatbot: 'cb1', conversation: undefined })).toBe('#/playground?chatbot=cb1');
    expect(href('chatbots')).toBe('#/chatbots');
  });
});
