import { LinkButton } from '../components/button.tsx';
import { EmptyState } from '../components/feedback.tsx';
import { Card, PageHeader } from '../components/layout.tsx';

/** What a chatbot's pages show when the chatbot in the address does not exist (or was deleted). */
export function ChatbotNotFound({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} back={{ href: '#/chatbots', label: 'All chatbots' }} />
      <Card>
        <EmptyState
          icon="bot"
          title="This chatbot does not exist"
          action={<LinkButton href="#/chatbots">See all chatbots</LinkButton>}
        >
          It may have been deleted.
        </EmptyState>
      </Card>
    </>
  );
}
