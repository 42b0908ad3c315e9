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
  NOT_FOUND: { status: 404, message: 'Route not found' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The server is shutting down or not ready' },
  INTERNAL_ERROR: { status: 500, message: 'An unexpected error occurred' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;
