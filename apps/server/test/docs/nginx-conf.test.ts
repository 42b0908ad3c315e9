import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// deploy/nginx.conf behind a TLS-terminating balancer: the balancer's X-Forwarded-Proto must reach PollyBot
// (or the session cookie never gets Secure), and nginx's own scheme only when there is none.

const config = readFileSync(new URL('../../../../deploy/nginx.conf', import.meta.url), 'utf8');

/** The `map <source> <variable> { ... }` blocks of the file, as source, variable and their lines. */
function maps() {
  return [...config.matchAll(/map\s+(\$\S+)\s+(\$\S+)\s*\{([^}]*)\}/g)].map(([, source, variable, body]) => ({
    source,
    variable,
    entries: Object.fromEntries(
      (body ?? '')
        .split(';')
        .map((line) => line.trim().split(/\s+/))
        .filter((words) => words.length === 2)
        .map(([key, value]) => [key, value]),
    ),
  }));
}

describe('deploy/nginx.conf', () => {
  it('forwards the incoming X-Forwarded-Proto (http or https), falling back to its own $scheme', () => {
    const forwarded = [...config.matchAll(/proxy_set_header\s+X-Forwarded-Proto\s+(\$\S+);/g)].map(
      ([, variable]) => variable,
    );
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).not.toBe('$scheme');

    const map = maps().find((candidate) => candidate.variable === forwarded[0]);
    expect(map?.source).toBe('$http_x_forwarded_proto');
    expect(map?.entries).toEqual({ default: '$scheme', http: 'http', https: 'https' });
  });
});
