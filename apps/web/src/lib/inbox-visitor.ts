import type { InboxConversation } from '../api/types.ts';

// How the inbox names a widget conversation's visitor: the identity the business verified, else anonymous.

/** Who the visitor is, for the inbox row; undefined for a conversation that is not from the widget. */
export function describeVisitor(
  conversation: Pick<InboxConversation, 'channel' | 'visitor'>,
): { label: string; isVerified: boolean } | undefined {
  if (conversation.channel !== 'widget') return undefined;
  const visitor = conversation.visitor;
  if (!visitor?.verified) return { label: 'Anonymous visitor', isVerified: false };
  const label = visitor.name ?? visitor.email ?? visitor.userId ?? 'Verified visitor';
  const details = [visitor.name ? visitor.email : undefined, visitor.userId]
    .filter((part) => part && part !== label)
    .join(' · ');
  return { label: details ? `${label} (${details})` : label, isVerified: true };
}
