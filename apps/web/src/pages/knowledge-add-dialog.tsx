import { useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { createKnowledgeSource, uploadKnowledgeFile } from '../api/knowledge.ts';
import type { KnowledgeSource } from '../api/types.ts';
import { Dialog, DialogFormActions } from '../components/dialog.tsx';
import { Callout } from '../components/feedback.tsx';
import { Icon, type IconName } from '../components/icons.tsx';
import { useFormSubmit } from '../hooks/use-form-submit.ts';
import {
  checkKnowledgeFile,
  emptyQaRow,
  type KnowledgeFormKind,
  knowledgeFieldOf,
  type QaSourceValues,
  type TextSourceValues,
  toQaSource,
  toTextSource,
  toUrlSource,
  type UrlSourceValues,
  validateFileSource,
  validateQaSource,
  validateTextSource,
  validateUrlSource,
} from '../lib/knowledge-form.ts';
import {
  FileSourceFields,
  QaSourceFields,
  TextSourceFields,
  UrlSourceFields,
} from './knowledge-add-fields.tsx';
import '../styles/tabs.css';

const TABS: Array<{ kind: KnowledgeFormKind; label: string; icon: IconName; submit: string }> = [
  { kind: 'text', label: 'Text or Markdown', icon: 'file', submit: 'Add text' },
  { kind: 'qa', label: 'Q&A', icon: 'message', submit: 'Add Q&A' },
  { kind: 'file', label: 'Upload a file', icon: 'upload', submit: 'Upload file' },
  { kind: 'url', label: 'Web page or sitemap', icon: 'globe', submit: 'Import' },
];

/** Upload failures that are about the file itself, shown on the file field. */
const FILE_ERROR_CODES = new Set(['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);

/** "Add knowledge": text, question-and-answer pairs, a file or a web page, each on its own tab. */
export function KnowledgeAddDialog({
  chatbotId,
  onClose,
  onAdded,
}: {
  chatbotId: string;
  onClose: () => void;
  onAdded: (source: KnowledgeSource) => void;
}) {
  const id = useId();
  const [kind, setKind] = useState<KnowledgeFormKind>('text');
  const [text, setText] = useState<TextSourceValues>({ title: '', content: '' });
  const [qa, setQa] = useState<QaSourceValues>(() => ({ title: '', pairs: [emptyQaRow()] }));
  const [file, setFile] = useState<File>();
  const [fileTitle, setFileTitle] = useState('');
  const [url, setUrl] = useState<UrlSourceValues>({ url: '', crawl: 'page', title: '' });
  const choose = (next: KnowledgeFormKind) => {
    setKind(next);
    form.setErrors(() => ({}));
    form.setFormError(undefined);
  };

  const send = (): Promise<KnowledgeSource> => {
    switch (kind) {
      case 'text':
        return createKnowledgeSource(chatbotId, toTextSource(text));
      case 'qa':
        return createKnowledgeSource(chatbotId, toQaSource(qa));
      case 'url':
        return createKnowledgeSource(chatbotId, toUrlSource(url));
      case 'file':
        if (!file) throw new Error('Choose a file to upload.');
        return uploadKnowledgeFile(chatbotId, file, fileTitle.trim() || undefined);
    }
  };

  const form = useFormSubmit<string, KnowledgeSource>({
    validate: () =>
      kind === 'text'
        ? validateTextSource(text)
        : kind === 'qa'
          ? validateQaSource(qa)
          : kind === 'url'
            ? validateUrlSource(url)
            : validateFileSource({ title: fileTitle, file }),
    submit: send,
    onSuccess: onAdded,
    fieldOf: knowledgeFieldOf,
    invalidMessage: 'Some fields need attention.',
    explainFailure: (error) =>
      error instanceof ApiError && FILE_ERROR_CODES.has(error.code)
        ? { errors: { file: error.message } }
        : undefined,
  });
  const { errors, setErrors, clearError } = form;

  const active = TABS.find((tab) => tab.kind === kind) ?? TABS[0];
  return (
    <Dialog
      title="Add knowledge"
      description="The chatbot answers from it once it is read and indexed, usually within seconds."
      size="lg"
      onClose={onClose}
      isBusy={form.isPending}
    >
      <form className="form" onSubmit={form.handleSubmit} noValidate>
        <div className="tabs" role="tablist" aria-label="Kind of knowledge">
          {TABS.map((tab) => (
            <button
              key={tab.kind}
              id={`${id}-${tab.kind}-tab`}
              type="button"
              role="tab"
              aria-selected={tab.kind === kind}
              aria-controls={`${id}-${tab.kind}-panel`}
              className={`tabs__tab tabs__tab--icon${tab.kind === kind ? ' tabs__tab--active' : ''}`}
              disabled={form.isPending}
              onClick={() => choose(tab.kind)}
            >
              <Icon name={tab.icon} size={15} />
              {tab.label}
            </button>
          ))}
        </div>
        {form.formError ? <Callout tone="danger">{form.formError}</Callout> : null}
        {/* Every panel stays mounted, so that switching tabs keeps what was typed and the chosen file. */}
        {TABS.map((tab) => (
          <div
            key={tab.kind}
            id={`${id}-${tab.kind}-panel`}
            role="tabpanel"
            aria-labelledby={`${id}-${tab.kind}-tab`}
            hidden={tab.kind !== kind}
          >
            <div className="form">
              {tab.kind === 'text' ? (
                <TextSourceFields
                  values={text}
                  errors={errors}
                  onChange={(field, value) => {
                    setText((current) => ({ ...current, [field]: value }));
                    clearError(field);
                  }}
                />
              ) : null}
              {tab.kind === 'qa' ? (
                <QaSourceFields
                  values={qa}
                  errors={errors}
                  onChange={(next, changedPath) => {
                    setQa(next);
                    if (changedPath) clearError(changedPath);
                    else setErrors(() => ({}));
                  }}
                />
              ) : null}
              {tab.kind === 'file' ? (
                <FileSourceFields
                  file={file}
                  title={fileTitle}
                  errors={errors}
                  isUploading={form.isPending}
                  onFileChange={(next) => {
                    setFile(next);
                    // Too big, or of a kind the server cannot read: said at once, before any upload.
                    const problem = next ? checkKnowledgeFile(next) : undefined;
                    setErrors(({ file: _, ...rest }) => (problem ? { ...rest, file: problem } : rest));
                  }}
                  onTitleChange={(next) => {
                    setFileTitle(next);
                    clearError('title');
                  }}
                />
              ) : null}
              {tab.kind === 'url' ? (
                <UrlSourceFields
                  values={url}
                  errors={errors}
                  onChange={(field, value) => {
                    setUrl((current) => ({ ...current, [field]: value }));
                    clearError(field);
                  }}
                />
              ) : null}
            </div>
          </div>
        ))}
        <DialogFormActions
          submitLabel={form.isPending && kind === 'file' ? 'Uploading…' : active?.submit}
          isPending={form.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
