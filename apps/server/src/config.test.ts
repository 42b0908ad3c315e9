import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_MODEL, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs on the embedded default with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/pollybot.db',
      redisUrl: undefined,
      adminToken: undefined,
      demo: true,
      defaultModel: LOCAL_MODEL,
      modelPrices: {},
    });
  });

  it('lists every bad variable at once', () => {
    let thrown: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        POLLYBOT_DEMO: 'maybe',
        POLLYBOT_MODEL_PRICES: '{oops',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'POLLYBOT_DEMO', 'POLLYBOT_MODEL_PRICES']) {
      expect(problems).toContain(name);
    }
  });

  it('reads POLLYBOT_DEMO=false, model prices and provider settings', () => {
    const config = loadConfig({
      POLLYBOT_DEMO: 'false',
      POLLYBOT_MODEL_PRICES: '{"openai/gpt-4o": 5, "anthropic/*": 3}',
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      POLLYBOT_DEFAULT_MODEL: 'openai/gpt-4o-mini',
    });
    expect(config.demo).toBe(false);
    expect(config.modelPrices).toEqual({ 'openai/gpt-4o': 5, 'anthropic/*': 3 });
    expect(config.providers.openai.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(config.defaultModel).toBe('openai/gpt-4o-mini');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' })).toMatchObject({ port: 3000, redisUrl: undefined });
  });

  it('refuses an admin token too short to be a secret', () => {
    expect(() => loadConfig({ POLLYBOT_ADMIN_TOKEN: 'short' })).toThrow(/POLLYBOT_ADMIN_TOKEN/);
  });
});

describe('REDIS_URL', () => {
  it('is read with its key prefix', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'acme:' });
    expect(config).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisKeyPrefix: 'acme:' });
  });

  it('must be a redis:// address', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['loopback', ['loopback']],
  ])('reads %j as %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('refuses a value that is no address', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'nginx; rm -rf' })).toThrow(/TRUST_PROXY/);
  });
});

describe('POLLYBOT_DASHBOARD_DIR', () => {
  it('defaults to the dashboard’s build beside the server, apps/web/dist', () => {
    expect(loadConfig({}).dashboardDir.replaceAll('\\', '/')).toMatch(/\/apps\/web\/dist$/);
  });

  it('can point elsewhere', () => {
    expect(loadConfig({ POLLYBOT_DASHBOARD_DIR: '/srv/pollybot-web' }).dashboardDir).toBe(
      '/srv/pollybot-web',
    );
  });
});

describe('shutdown and reply lease settings', () => {
  it('defaults to a 5 s readiness delay and a 20 s reply lease', () => {
    expect(loadConfig({})).toMatchObject({ shutdownReadinessDelayMs: 5000, replyLeaseMs: 20_000 });
  });

  it('reads a readiness delay of 0 (stop listening at once) and a shorter lease', () => {
    expect(loadConfig({ SHUTDOWN_READINESS_DELAY_MS: '0', POLLYBOT_REPLY_LEASE_MS: '3000' })).toMatchObject({
      shutdownReadinessDelayMs: 0,
      replyLeaseMs: 3000,
    });
  });

  it('refuses a negative delay and a lease under a second', () => {
    expect(() => loadConfig({ SHUTDOWN_READINESS_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_READINESS_DELAY_MS/);
    expect(() => loadConfig({ POLLYBOT_REPLY_LEASE_MS: '500' })).toThrow(/POLLYBOT_REPLY_LEASE_MS/);
  });
});
