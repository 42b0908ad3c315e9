/** Anthropic's own endpoint, as its SDK names it: the version is part of the base URL. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';

/**
 * ANTHROPIC_BASE_URL as the provider package expects it (`<root>/v1`, to which it adds `/messages`), from
 * either form an operator may write: the server's root (`http://host:1234`, as Anthropic's own SDKs and
 * the README take it) or the `/v1` form. A trailing slash is ignored.
 */
export function toAnthropicBaseUrl(configured: string | undefined): string {
  if (configured === undefined) return ANTHROPIC_DEFAULT_BASE_URL;
  const trimmed = configured.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}
