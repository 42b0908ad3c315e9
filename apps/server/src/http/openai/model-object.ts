/** A chatbot as OpenAI's model object: its id is the `model` a chat completion names. */
export function toModelObject(chatbot: { id: string; name: string; createdAt: string }, workspaceId: string) {
  return {
    id: chatbot.id,
    object: 'model' as const,
    created: Math.floor(Date.parse(chatbot.createdAt) / 1000),
    owned_by: workspaceId,
    name: chatbot.name,
  };
}
