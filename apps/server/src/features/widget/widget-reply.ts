import type { ChatReply, WidgetSettings } from '@pollybot/contracts';
import { appErrorFromEnvelope } from '../../errors/app-error.ts';
import type { ReplyEvent } from '../chat/reply-events.ts';
import { toVisitorError } from './visitor-errors.ts';

/** A reply as a visitor receives it: the text, where it is, and its sources; no usage. */
export function toWidgetReply(reply: ChatReply) {
  return {
    response: reply.response,
    conversationId: reply.conversationId,
    messageId: reply.messageId,
    ...(reply.sources ? { sources: reply.sources } : {}),
  };
}

/**
 * A reply's stream event as a visitor receives it: `done` carries the widget's reply (no usage), `error` the
 * envelope with the business's message; `start` and `delta` as they are.
 */
export function toWidgetEvent(
  event: ReplyEvent,
  settings: Pick<WidgetSettings, 'limitMessage' | 'offlineMessage'>,
) {
  if (event.event === 'done') {
    return {
      id: event.id,
      event: event.event,
      data: { success: true, data: toWidgetReply(event.data.data) },
    };
  }
  if (event.event === 'error') {
    const envelope = toVisitorError(appErrorFromEnvelope(event.data), settings).toEnvelope();
    return { id: event.id, event: event.event, data: envelope };
  }
  return event;
}
