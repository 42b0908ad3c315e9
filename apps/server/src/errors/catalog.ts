import { WIDGET_ERROR_CODES } from '@pollybot/contracts';

/** Every error code the API can answer with: its HTTP status and its safe, human sentence. */
export const errorCatalog = {
  INVALID_API_KEY: { status: 401, message: 'Invalid or inactive API key' },
  INVALID_ADMIN_TOKEN: { status: 401, message: 'Invalid admin token' },
  CHATBOT_NOT_FOUND: { status: 404, message: 'Chatbot not found or access denied' },
  CHATBOT_INACTIVE: { status: 403, message: 'Chatbot is inactive' },
  RATE_LIMIT_EXCEEDED: {
    status: 429,
    message: 'Rate limit exceeded for this chatbot; retry after the window resets',
  },
  VALIDATION_ERROR: { status: 400, message: 'The request is invalid' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Content-Type must be application/json' },
  CONVERSATION_NOT_FOUND: { status: 404, message: 'Conversation not found' },
  INSUFFICIENT_CREDITS: {
    status: 402,
    message: 'Not enough credits for this response; add credits to the workspace',
  },
  AI_PROVIDER_ERROR: { status: 502, message: 'The AI provider failed to answer' },
  AI_PROVIDER_TIMEOUT: { status: 504, message: 'The AI provider did not answer in time' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  API_KEY_NOT_FOUND: { status: 404, message: 'API key not found' },
  WORKSPACE_NOT_FOUND: { status: 404, message: 'Workspace not found' },
  SETUP_ALREADY_DONE: { status: 409, message: 'PollyBot is already set up; sign in instead' },
  SETUP_TOKEN_INVALID: {
    status: 401,
    message:
      'Missing or wrong setup token: use the one printed in the server’s start-up output (its log), or POLLYBOT_ADMIN_TOKEN',
  },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password' },
  NOT_AUTHENTICATED: { status: 401, message: 'Not signed in' },
  CSRF_TOKEN_INVALID: { status: 403, message: 'Missing or invalid X-CSRF-Token header' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this' },
  INVITATION_NOT_FOUND: { status: 404, message: 'Invitation not found, already used or expired' },
  SIGN_IN_REQUIRED: {
    status: 401,
    message: 'This address already has an account: sign in as it, then accept the invitation',
  },
  WORKSPACE_HAS_OWNER: { status: 409, message: 'The workspace already has an owner' },
  MEMBER_NOT_FOUND: { status: 404, message: 'Member not found' },
  USER_NOT_FOUND: { status: 404, message: 'No account has this email address' },
  KNOWLEDGE_SOURCE_NOT_FOUND: { status: 404, message: 'Knowledge source not found' },
  KNOWLEDGE_QUOTA_EXCEEDED: {
    status: 409,
    message: "The workspace's knowledge quota is used up (sources waiting to be processed, or storage)",
  },
  MESSAGE_NOT_FOUND: { status: 404, message: 'Message not found' },
  MESSAGE_NOT_GENERATING: { status: 409, message: 'The message is no longer being generated' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'This Idempotency-Key was already used for a different request; use a new key for a new request',
  },
  PUBLISHABLE_KEY_NOT_FOUND: { status: 404, message: 'Publishable key not found or revoked' },
  PUBLISHABLE_KEY_LIMIT_REACHED: {
    status: 409,
    message: 'This chatbot has 20 live publishable keys already; revoke one first',
  },
  PUBLISHABLE_KEY_INVALID: { status: 401, message: 'Invalid or revoked publishable key' },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: 'This site is not on the publishable key’s list of allowed origins',
  },
  VISITOR_SESSION_INVALID: {
    status: 401,
    message: 'Invalid or expired visitor session; start a new one',
  },
  IDENTITY_REQUIRED: { status: 401, message: 'This chatbot requires a verified visitor identity token' },
  IDENTITY_INVALID: {
    status: 401,
    message: 'The identity token is invalid (signature, algorithm or claims)',
  },
  IDENTITY_EXPIRED: {
    status: 401,
    message: 'The identity token has expired or lives longer than 24 hours; sign a new one',
  },
  IDENTITY_WRONG_CHATBOT: { status: 401, message: 'The identity token was signed for another chatbot' },
  WIDGET_LIMIT_EXCEEDED: { status: 429, message: 'Too many messages; retry after the window resets' },
  NOT_FOUND: { status: 404, message: 'Route not found' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The server is shutting down or not ready' },
  INTERNAL_ERROR: { status: 500, message: 'An unexpected error occurred' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

// The contract's widget codes are all in the catalog: this fails to compile when one is missing.
WIDGET_ERROR_CODES satisfies readonly ErrorCode[];
