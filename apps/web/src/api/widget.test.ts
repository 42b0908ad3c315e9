import { describe, expect, it } from 'vitest';
import { allowsSelfFraming, widgetPreviewPath } from './widget.ts';

describe('the widget preview frame', () => {
  it('is framed only under a policy whose frame-ancestors names the page’s own origin', () => {
    expect(allowsSelfFraming("default-src 'none'; script-src 'self'; frame-ancestors 'self'")).toBe(true);
    expect(allowsSelfFraming("frame-ancestors https://a.example 'self'")).toBe(true);
    // The dashboard's own policy and every other response's: nobody may frame them.
    expect(allowsSelfFraming("default-src 'self'; script-src 'self'; frame-ancestors 'none'")).toBe(false);
    expect(allowsSelfFraming("default-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toBe(false);
    // 'self' elsewhere in the policy says nothing about framing.
    expect(allowsSelfFraming("script-src 'self'; frame-ancestors https://shop.example")).toBe(false);
    expect(allowsSelfFraming('')).toBe(false);
  });

  it('is the preview page for the chatbot, its id escaped', () => {
    expect(widgetPreviewPath('bot 1&x')).toBe('/widget/preview?chatbotId=bot%201%26x');
  });
});
