import {
  errorEnvelopeSchema,
  messageFeedbackSchema,
  pathIdSchema,
  replyEventIdSchema,
  successEnvelope,
  visitorSessionCreateSchema,
  widgetChatRequestSchema,
  widgetReplySchema,
} from '@pollybot/contracts';
import { z } from 'zod';

/** `/api/widget/v1/messages/{id}/...`. */
export const widgetMessageParamsSchema = z.object({ id: pathIdSchema });

/**
 * One Server-Sent Event of a reply as the widget receives it: the native stream's events, but `done` carries
 * the widget's reply (no usage) and `error` the envelope with the business's message.
 */
export const widgetStreamEventSchema = z.discriminatedUnion('event', [
  z.object({
    id: replyEventIdSchema,
    event: z.literal('start'),
    data: z.object({ conversationId: z.string(), messageId: z.string() }),
  }),
  z.object({ id: replyEventIdSchema, event: z.literal('delta'), data: z.object({ content: z.string() }) }),
  z.object({ id: replyEventIdSchema, event: z.literal('done'), data: successEnvelope(widgetReplySchema) }),
  z.object({ id: replyEventIdSchema, event: z.literal('error'), data: errorEnvelopeSchema }),
]);

/** The widget's request bodies, with the examples the OpenAPI document shows. */
export const widgetSessionBodySchema = visitorSessionCreateSchema.meta({
  examples: [
    {
      key: 'pk-chatbot_4f9Qm2LxT7aBc8DeF1gH3jK5nP6rS0uV',
      origin: 'https://www.example.com',
      visitorToken: 'vt_Z3x9Qm2LxT7aBc8DeF1gH3jK5nP6rS0uVw4yA2bC7dE',
    },
  ],
});
export const widgetChatBodySchema = widgetChatRequestSchema.meta({
  examples: [{ message: 'When are you open on Saturdays?', stream: true }],
});
export const feedbackBodySchema = messageFeedbackSchema.meta({ examples: [{ rating: 'up' }] });
