import type { InvalidationBus } from '../cache/invalidation-bus.ts';

/**
 * The replies this instance is generating, each stoppable by its message id from any instance: a cancel
 * is published on the bus (Redis with several instances) and the instance running the generation
 * aborts it.
 */
export type Generations = {
  /** Registers a generation; its signal aborts on a cancel. Call `done` when it has ended. */
  track: (messageId: string) => { signal: AbortSignal; done: () => void };
  /** Asks whichever instance runs the generation to stop it. */
  cancel: (messageId: string) => Promise<void>;
};

export function createGenerations(bus: InvalidationBus): Generations {
  const running = new Map<string, AbortController>();
  bus.subscribe((topic, messageId) => {
    if (topic === 'generation-cancel') running.get(messageId)?.abort();
  });
  return {
    track(messageId) {
      const controller = new AbortController();
      running.set(messageId, controller);
      return {
        signal: controller.signal,
        done: () => {
          if (running.get(messageId) === controller) running.delete(messageId);
        },
      };
    },
    async cancel(messageId) {
      // This instance first, so a cancel here never waits on the bus.
      running.get(messageId)?.abort();
      await bus.publish('generation-cancel', messageId);
    },
  };
}
