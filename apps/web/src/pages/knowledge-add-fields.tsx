import { Button, IconButton } from '../components/button.tsx';
import { Callout } from '../components/feedback.tsx';
import { Field } from '../components/form.tsx';
import { formatBytes, formatNumber, pluralize } from '../lib/format.ts';
import {
  emptyQaRow,
  KNOWLEDGE_FILE_ACCEPT,
  type KnowledgeFieldErrors,
  MAX_KNOWLEDGE_FILE_BYTES,
  type QaSourceValues,
  type TextSourceValues,
  type UrlSourceValues,
} from '../lib/knowledge-form.ts';
import './knowledge-add-fields.css';

// The fields of each "Add knowledge" tab; the dialog holds their values and sends them.

/** The title every kind has: required for text and Q&A, optional (with a default) for files and pages. */
function TitleField({
  value,
  error,
  hint,
  placeholder,
  isOptional,
  onChange,
}: {
  value: string;
  error?: string;
  hint: string;
  placeholder: string;
  isOptional?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field label="Title" optional={isOptional} error={error} hint={hint}>
      {(props) => (
        <input
          {...props}
          className="input"
          value={value}
          maxLength={200}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function TextSourceFields({
  values,
  errors,
  onChange,
}: {
  values: TextSourceValues;
  errors: KnowledgeFieldErrors;
  onChange: (field: keyof TextSourceValues, value: string) => void;
}) {
  return (
    <>
      <TitleField
        value={values.title}
        error={errors.title}
        hint="Replies that draw on this text cite it by this title."
        placeholder="Opening hours and returns"
        onChange={(value) => onChange('title', value)}
      />
      <Field
        label="Text"
        error={errors.content}
        hint={`Plain text or Markdown: headings (# Returns) split it into sections. ${formatNumber(values.content.length)} / 500,000 characters.`}
      >
        {(props) => (
          <textarea
            {...props}
            className="input textarea"
            rows={12}
            value={values.content}
            placeholder={'# Opening hours\nWe open at 9am on weekdays…'}
            onChange={(event) => onChange('content', event.target.value)}
          />
        )}
      </Field>
    </>
  );
}

export function QaSourceFields({
  values,
  errors,
  onChange,
}: {
  values: QaSourceValues;
  errors: KnowledgeFieldErrors;
  /** The new values, and the path of the one field that changed (none when rows were added or removed). */
  onChange: (values: QaSourceValues, changedPath?: string) => void;
}) {
  const setPair = (index: number, field: 'question' | 'answer', value: string) =>
    onChange(
      {
        ...values,
        pairs: values.pairs.map((pair, at) => (at === index ? { ...pair, [field]: value } : pair)),
      },
      `pairs.${index}.${field}`,
    );
  return (
    <>
      <TitleField
        value={values.title}
        error={errors.title}
        hint="Replies that use one of these answers cite it by this title."
        placeholder="Frequently asked questions"
        onChange={(title) => onChange({ ...values, title }, 'title')}
      />
      {errors.pairs ? <p className="field__error">{errors.pairs}</p> : null}
      <ol className="qa-rows">
        {values.pairs.map((pair, index) => (
          <li key={pair.key}>
            <fieldset className="qa-row">
              <legend className="qa-row__legend">Pair {index + 1}</legend>
              <IconButton
                icon="close"
                size={14}
                danger
                className="icon-button--sm qa-row__remove"
                title="Remove this pair"
                label={`Remove pair ${index + 1}`}
                disabled={values.pairs.length === 1}
                onClick={() => onChange({ ...values, pairs: values.pairs.filter((_, at) => at !== index) })}
              />
              <Field label="Question" error={errors[`pairs.${index}.question`]}>
                {(props) => (
                  <input
                    {...props}
                    className="input"
                    value={pair.question}
                    maxLength={2_000}
                    placeholder="Do you have parking?"
                    onChange={(event) => setPair(index, 'question', event.target.value)}
                  />
                )}
              </Field>
              <Field label="Answer" error={errors[`pairs.${index}.answer`]}>
                {(props) => (
                  <textarea
                    {...props}
                    className="input textarea"
                    rows={2}
                    value={pair.answer}
                    placeholder="Yes, behind the shop, free for customers."
                    onChange={(event) => setPair(index, 'answer', event.target.value)}
                  />
                )}
              </Field>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="qa-rows__footer">
        <Button
          size="sm"
          icon="plus"
          disabled={values.pairs.length >= 1_000}
          onClick={() => onChange({ ...values, pairs: [...values.pairs, emptyQaRow()] })}
        >
          Add a pair
        </Button>
        <span className="muted small">{pluralize(values.pairs.length, 'pair')} · up to 1,000</span>
      </div>
    </>
  );
}

export function FileSourceFields({
  file,
  title,
  errors,
  isUploading,
  onFileChange,
  onTitleChange,
}: {
  file: File | undefined;
  title: string;
  errors: KnowledgeFieldErrors;
  isUploading: boolean;
  onFileChange: (file: File | undefined) => void;
  onTitleChange: (title: string) => void;
}) {
  return (
    <>
      <Field
        label="File"
        error={errors.file}
        hint={
          file
            ? `${file.name} · ${formatBytes(file.size)}`
            : `PDF, DOCX, HTML, Markdown or plain text, up to ${formatBytes(MAX_KNOWLEDGE_FILE_BYTES)}.`
        }
      >
        {(props) => (
          <input
            {...props}
            className="input input--file"
            type="file"
            accept={KNOWLEDGE_FILE_ACCEPT}
            disabled={isUploading}
            onChange={(event) => onFileChange(event.target.files?.[0])}
          />
        )}
      </Field>
      <TitleField
        value={title}
        error={errors.title}
        isOptional
        hint="Defaults to the file's name without its extension."
        placeholder="Returns policy"
        onChange={onTitleChange}
      />
      {isUploading && file ? (
        <p className="upload-progress" role="status">
          <span className="spinner" aria-hidden="true" />
          Uploading {file.name} ({formatBytes(file.size)})…
        </p>
      ) : null}
    </>
  );
}

export function UrlSourceFields({
  values,
  errors,
  onChange,
}: {
  values: UrlSourceValues;
  errors: KnowledgeFieldErrors;
  onChange: <Field extends keyof UrlSourceValues>(field: Field, value: UrlSourceValues[Field]) => void;
}) {
  const crawls = [
    { value: 'page', label: 'This page', description: 'Imports the page at this address.' },
    {
      value: 'sitemap',
      label: 'Every page of a sitemap',
      description: 'Reads the sitemap at this address and imports each page it lists, up to 200.',
    },
  ] as const;
  return (
    <>
      <Field label="Address" error={errors.url}>
        {(props) => (
          <input
            {...props}
            className="input"
            type="url"
            inputMode="url"
            value={values.url}
            placeholder="https://example.com/help/returns"
            onChange={(event) => onChange('url', event.target.value)}
          />
        )}
      </Field>
      <fieldset className="field">
        <legend className="field__label">What to import</legend>
        <div className="radio-options">
          {crawls.map((crawl) => (
            <label
              key={crawl.value}
              className={`radio-option${values.crawl === crawl.value ? ' radio-option--active' : ''}`}
            >
              <input
                type="radio"
                name="crawl"
                value={crawl.value}
                checked={values.crawl === crawl.value}
                onChange={() => onChange('crawl', crawl.value)}
              />
              <span>
                <strong>{crawl.label}</strong>
                <span className="radio-option__description">{crawl.description}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.crawl ? <p className="field__error">{errors.crawl}</p> : null}
      </fieldset>
      <TitleField
        value={values.title}
        error={errors.title}
        isOptional
        hint="Defaults to the page's own title (for a sitemap, its address). Each page is cited by its own title."
        placeholder="Help centre"
        onChange={(title) => onChange('title', title)}
      />
      <Callout title="Public addresses only">
        The PollyBot server fetches the address itself. Addresses on a private network (localhost, 10.x,
        192.168.x …) are refused unless the server's operator allows them.
      </Callout>
    </>
  );
}
