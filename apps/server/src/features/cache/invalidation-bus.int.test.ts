import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/test-server.ts';
import { createRedisInvalidationBus, type InvalidationTopic } from './invalidation-bus.ts';

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)(
  `Redis invalidation bus${redisUrl ? '' : ' (skipped: TEST_REDIS_URL not set)'}`,
  () => {
    const clients: Redis[] = [];
    const channel = `test-${Math.random().toString(36).slice(2)}:invalidations`;
    const createBus = () => {
      const publisher = new Redis(redisUrl ?? '');
      const subscriber = new Redis(redisUrl ?? '');
      clients.push(publisher, subscriber);
      return { bus: createRedisInvalidationBus({ publisher, subscriber, channel }), subscriber };
    };

    afterAll(() => {
      for (const client of clients) client.disconnect();
    });

    it('carries an invalidation from one instance to every other, and applies it locally at once', async () => {
      const first = createBus();
      const second = createBus();
      await eventually(() => first.bus.isReliable() && second.bus.isReliable());
      const seenByFirst: [InvalidationTopic, string][] = [];
      const seenBySecond: [InvalidationTopic, string][] = [];
      first.bus.subscribe((topic, id) => seenByFirst.push([topic, id]));
      second.bus.subscribe((topic, id) => seenBySecond.push([topic, id]));

      await first.bus.publish('api-key', 'key-1');

      expect(seenByFirst[0]).toEqual(['api-key', 'key-1']);
      await eventually(() => seenBySecond.length === 1);
      expect(seenBySecond).toEqual([['api-key', 'key-1']]);
    });

    it('is unreliable while its subscription is down, and resets its caches when it comes back', async () => {
      const { bus, subscriber } = createBus();
      await eventually(() => bus.isReliable());
      let resets = 0;
      bus.onReset(() => resets++);

      subscriber.disconnect(true);
      await eventually(() => !bus.isReliable());
      await eventually(() => bus.isReliable(), 10_000);

      expect(resets).toBeGreaterThanOrEqual(1);
    });
  },
);
