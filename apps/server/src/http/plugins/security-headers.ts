import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The policy of the pages a browser renders: the dashboard's build and the API reference at /docs. Both load
 * only their own scripts, stylesheets and images, with no inline script or style (the builds have none; React
 * sets styles through the DOM, which a policy does not restrict). `data:` images are the stylesheets' icons.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The API reference's policy: the pages' own, and the one `<style>` element Swagger UI's bundle adds at load
 * (by its hash, so no other inline style runs; a new Swagger UI version may need a new hash, which the
 * browser suite's visit of /docs reports).
 */
export const API_REFERENCE_CONTENT_SECURITY_POLICY = PAGE_CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
);

/** Every other response (JSON, event streams, files): nothing in it may load anything, or be framed. */
const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A year, once the site has been seen over HTTPS; subdomains are left to their own servers. */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * The headers every response carries, set as the request arrives so errors, 404s, probes and hijacked event
 * streams (which copy the reply's headers) carry them too. A page sets its own policy over the default.
 * HSTS only over HTTPS: `request.protocol` believes X-Forwarded-Proto as far as TRUST_PROXY says.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', DEFAULT_CONTENT_SECURITY_POLICY);
  if (request.protocol === 'https') reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
}
