import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The request log keeps each request's path, not what people searched for or who they are: query values
// other than paging and ids are replaced before the line is written.

let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey } = await server.createWorkspace());
});

afterAll(async () => {
  await server.close();
});

describe('the request log', () => {
  it('leaves the values of q, userId and other user data out of logged URLs, and keeps paging', async () => {
    const response = await server
      .api(apiKey)
      .get(
        '/api/v1/conversations?q=secret-search-words&userId=alice-visitor-77&email=bob%40example.com&limit=5',
      );
    expect(response.status, response.text).toBe(200);
    const requestId = response.headers.get('x-request-id');

    const lines = server.logLines.filter((line) => line.includes(requestId ?? 'no request id'));
    expect(lines.length).toBeGreaterThan(0);
    const log = server.logLines.join('\n');
    expect(log).not.toContain('secret-search-words');
    expect(log).not.toContain('alice-visitor-77');
    expect(log).not.toContain('bob%40example.com');
    const logged = lines.map((line) => JSON.parse(line)).find((line) => line.req?.url);
    expect(logged?.req.url).toBe(
      '/api/v1/conversations?q=[redacted]&userId=[redacted]&email=[redacted]&limit=5',
    );
  });

  it('leaves them out of the 404 of an unknown route too', async () => {
    const response = await server.api(apiKey).get('/api/v1/nowhere?q=another-secret&userId=carol-visitor');

    expect(response.status).toBe(404);
    expect(response.text).not.toContain('another-secret');
    const log = server.logLines.join('\n');
    expect(log).not.toContain('another-secret');
    expect(log).not.toContain('carol-visitor');
  });
});
