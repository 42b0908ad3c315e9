/**
 * Who sends a chat turn, as its door established it. Each door adds its kind: a website widget's visitor
 * (scoped to one chatbot by its public id) or an OpenAI-compatible request (a workspace key) fit here
 * without the pipeline changing beyond `workspaceOf`.
 */
export type ChatCaller =
  /** An API client with a workspace key (the native route, later the OpenAI-compatible one). */
  | { kind: 'workspace-key'; workspaceId: string; apiKeyId: string }
  /** A person signed in to the dashboard (its playground), acting in their workspace. */
  | { kind: 'session'; workspaceId: string; userId: string };

/** The workspace whose chatbots, conversations and credits the caller reaches. */
export function workspaceOf(caller: ChatCaller): string {
  return caller.workspaceId;
}
