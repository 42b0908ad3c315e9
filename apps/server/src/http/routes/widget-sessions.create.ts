import { successEnvelope, visitorSessionSchema } from '@pollybot/contracts';
import {
  findKeyAndChatbot,
  isOriginAllowed,
  startVisitorSession,
} from '../../features/widget/visitor-sessions.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { errorResponses, WIDGET_BODY_LIMIT_BYTES } from '../route-schemas.ts';
import { allowWidgetOrigin } from '../widget-cors.ts';
import { widgetSessionBodySchema } from '../widget-schemas.ts';

export function registerWidgetSessionsCreate(app: App, services: Services): void {
  app.post(
    '/api/widget/v1/sessions',
    {
      bodyLimit: WIDGET_BODY_LIMIT_BYTES,
      schema: {
        summary: 'Start a visitor session for a publishable key, from a page on its allowed origins',
        description:
          'Answers a bearer token valid for 1 hour, for this chatbot, origin and visitor. `visitorToken` (from an ' +
          'earlier answer) continues an anonymous visitor; `identityToken` (the business’s HS256 JWT) makes the ' +
          'visitor verified. New visitors are limited to 20 per IP address per chatbot per hour.',
        tags: ['widget-public'],
        body: widgetSessionBodySchema,
        response: {
          201: successEnvelope(visitorSessionSchema),
          ...errorResponses([
            'PUBLISHABLE_KEY_INVALID',
            'ORIGIN_NOT_ALLOWED',
            'CHATBOT_INACTIVE',
            'IDENTITY_REQUIRED',
            'IDENTITY_INVALID',
            'IDENTITY_EXPIRED',
            'IDENTITY_WRONG_CHATBOT',
            'WIDGET_LIMIT_EXCEEDED',
          ]),
        },
      },
    },
    async (request, reply) => {
      const { body } = request;
      // A host page that calls this itself must be the page it names, on the key's list.
      const { allowedOrigins } = await findKeyAndChatbot(services, body.key);
      allowWidgetOrigin(request, reply, (origin) => isOriginAllowed(allowedOrigins, origin));
      const session = await startVisitorSession(services, {
        key: body.key,
        origin: body.origin,
        visitorToken: body.visitorToken,
        identityToken: body.identityToken,
        ip: request.ip,
      });
      return reply.code(201).send({ success: true, data: session });
    },
  );
}
