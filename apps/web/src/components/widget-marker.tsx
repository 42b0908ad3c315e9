import type { InboxConversation } from '../api/types.ts';
import { describeVisitor } from '../lib/inbox-visitor.ts';
import { Badge } from './feedback.tsx';
import { Icon } from './icons.tsx';
import './widget-marker.css';

/** "Widget" on a conversation from the website widget, with the visitor's identity when it was verified. */
export function WidgetMarker({
  conversation,
}: {
  conversation: Pick<InboxConversation, 'channel' | 'visitor'>;
}) {
  const visitor = describeVisitor(conversation);
  if (!visitor) return null;
  return (
    <>
      <Badge tone="info">Widget</Badge>
      <span className="widget-visitor small">
        <Icon name={visitor.isVerified ? 'shield' : 'user'} size={13} />
        <span className="break">{visitor.label}</span>
        {visitor.isVerified ? <Badge tone="success">verified</Badge> : null}
      </span>
    </>
  );
}
