import type { Redis } from 'ioredis';

/**
 * What changed: a key, a chatbot, a chatbot's ready knowledge (its id), or a generation asked to stop (its
 * message id).
 */
export type InvalidationTopic = 'api-key' | 'chatbot' | 'knowledge' | 'generation-cancel';

type Listener = (topic: InvalidationTopic, id: string) => void;

/**
 * Tells every instance that a cached thing changed (a key revoked, a chatbot edited or deleted).
 * While it may have missed a message (its Redis subscription is down), `isReliable()` is false and
 * caches must not answer from memory; when it comes back, `onReset` listeners drop everything.
 */
export type InvalidationBus = {
  publish: (topic: InvalidationTopic, id: string) => Promise<void>;
  subscribe: (listener: Listener) => void;
  onReset: (listener: () => void) => void;
  isReliable: () => boolean;
};

/** One process: invalidations only need to reach this process's own caches. */
export function createLocalInvalidationBus(): InvalidationBus {
  const listeners: Listener[] = [];
  return {
    publish: async (topic, id) => {
      for (const listener of listeners) listener(topic, id);
    },
    subscribe: (listener) => void listeners.push(listener),
    onReset: () => {},
    isReliable: () => true,
  };
}

/** Several instances: Redis pub/sub carries each invalidation to all of them, this one included. */
export function createRedisInvalidationBus(options: {
  publisher: Redis;
  subscriber: Redis;
  channel: string;
  /** Told when a message could not be sent; the change itself is already stored. */
  onPublishError?: (error: unknown) => void;
}): InvalidationBus {
  const { publisher, subscriber, channel } = options;
  const listeners: Listener[] = [];
  const resetListeners: (() => void)[] = [];
  let subscribed = false;
  const deliver = (topic: InvalidationTopic, id: string) => {
    for (const listener of listeners) listener(topic, id);
  };

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const separator = message.indexOf(':');
    deliver(message.slice(0, separator) as InvalidationTopic, message.slice(separator + 1));
  });
  // ioredis re-subscribes after a reconnect; whatever was published meanwhile is lost, so start afresh.
  subscriber.on('ready', () => {
    subscriber
      .subscribe(channel)
      .then(() => {
        for (const listener of resetListeners) listener();
        subscribed = true;
      })
      .catch(() => {
        subscribed = false;
      });
  });
  subscriber.on('close', () => {
    subscribed = false;
  });
  subscriber.on('end', () => {
    subscribed = false;
  });

  return {
    async publish(topic, id) {
      // Applied here first, so this instance never serves what it just changed, even if Redis is away.
      deliver(topic, id);
      // If Redis is away, instances that share this Redis lost their subscription too and answer from
      // the database; one cut off alone still drops the entry when its cache TTL ends.
      await publisher
        .publish(channel, `${topic}:${id}`)
        .catch((error: unknown) => options.onPublishError?.(error));
    },
    subscribe: (listener) => void listeners.push(listener),
    onReset: (listener) => void resetListeners.push(listener),
    isReliable: () => subscribed,
  };
}
