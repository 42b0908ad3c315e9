/**
 * Who sends a chat turn, as its door established it. Each door adds its kind: a website widget's visitor
 * (scoped to one chatbot by its public id) or an OpenAI-compatible request (a workspace key) fit here
 * without the pipeline changing beyond `workspaceOf`.
 */
export type ChatCaller =
  /** An API client with a workspace key (the native route, later the OpenAI-compatible one). */
  | { kind: 'workspace-key'; workspaceId: string; apiKeyId: string }
  /** A person signed in to the dashboard (its playground), acting in their workspace. */
  | { kind: 'session'; workspaceId: string; userId: string }
  /**
   * A website widget's visitor, through a session its publishable key started: one chatbot only, their own
   * conversations only. `externalUserId` (with `name`, `email`) is the business's verified identity, or null.
   */
  | {
      kind: 'visitor';
      workspaceId: string;
      chatbotId: string;
      visitorId: string;
      externalUserId: string | null;
      name: string | null;
      email: string | null;
    };

/** Whose conversations a turn may continue, and where a new one is stored: a visitor's own, or the API's. */
export function conversationOwnerOf(caller: ChatCaller): { visitorId: string } | undefined {
  return caller.kind === 'visitor' ? { visitorId: caller.visitorId } : undefined;
}

/**
 * The metadata a visitor's messages carry: set from their verified identity, never sent by the visitor, so
 * `metadata.userId` (the inbox's filter) is the business's own id for them. Undefined for other callers, whose
 * body's metadata is stored.
 */
export function visitorMetadataOf(caller: ChatCaller): Record<string, unknown> | undefined {
  if (caller.kind !== 'visitor' || caller.externalUserId === null) return undefined;
  return {
    userId: caller.externalUserId,
    ...(caller.name === null ? {} : { name: caller.name }),
    ...(caller.email === null ? {} : { email: caller.email }),
  };
}

/** The workspace whose chatbots, conversations and credits the caller reaches. */
export function workspaceOf(caller: ChatCaller): string {
  return caller.workspaceId;
}
