import { deleteChatbot } from '../api/chatbots.ts';
import type { Chatbot } from '../api/types.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { useToast } from '../components/toast.tsx';

/** Asks before deleting a chatbot, deletes it and says how that went; `onDeleted` runs once it is gone. */
export function DeleteChatbotDialog({
  chatbot,
  onDeleted,
  onClose,
}: {
  chatbot: Chatbot;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const toast = useToast();
  const remove = async () => {
    try {
      await deleteChatbot(chatbot.id);
      onDeleted();
      toast.success('Chatbot deleted', `${chatbot.name} and its conversations are gone.`);
    } catch (error) {
      toast.error('Could not delete the chatbot', error);
      throw error;
    }
  };
  return (
    <ConfirmDialog
      title={`Delete ${chatbot.name}?`}
      confirmLabel="Delete chatbot"
      onConfirm={remove}
      onClose={onClose}
    >
      <p>
        The chatbot and <strong>all of its conversations</strong> are deleted for good. Apps calling it will
        get 404 <code>CHATBOT_NOT_FOUND</code>.
      </p>
    </ConfirmDialog>
  );
}
