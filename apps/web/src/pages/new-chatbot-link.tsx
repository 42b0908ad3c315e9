import { LinkButton } from '../components/button.tsx';

/** The primary "New chatbot" button: opens the form that creates one. */
export function NewChatbotLink({ label = 'New chatbot' }: { label?: string }) {
  return (
    <LinkButton href="#/chatbots/new" variant="primary" icon="plus">
      {label}
    </LinkButton>
  );
}
