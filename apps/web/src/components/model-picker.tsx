import { useState } from 'react';
import { qualifiedModelIds } from '../api/chatbots.ts';
import type { ModelCatalog } from '../api/types.ts';
import './model-picker.css';

const PROVIDER_LABELS: Record<string, string> = {
  openai: 'OpenAI (or OpenAI-compatible)',
  anthropic: 'Anthropic',
  ollama: 'Ollama',
  local: 'Built-in (no network)',
};

const PROVIDER_SETTINGS: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  ollama: 'OLLAMA_BASE_URL',
};

const CUSTOM = '__custom__';

/** The providers a server has not configured, with the variable that would enable each. */
export function unconfiguredProviders(
  catalog: ModelCatalog,
): Array<{ id: string; label: string; variable?: string }> {
  return catalog.providers
    .filter((provider) => !provider.configured)
    .map((provider) => ({
      id: provider.id,
      label: PROVIDER_LABELS[provider.id] ?? provider.id,
      variable: PROVIDER_SETTINGS[provider.id],
    }));
}

/** Chooses a model among the configured providers' models, or any `<provider>/<model>` typed in. */
export function ModelPicker({
  id,
  value,
  onChange,
  catalog,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (model: string) => void;
  catalog: ModelCatalog;
  invalid: boolean;
  describedBy?: string;
}) {
  const configured = catalog.providers.filter((provider) => provider.configured);
  const known = new Set(configured.flatMap((provider) => qualifiedModelIds(provider.id, provider.models)));
  const isUnlisted = value !== '' && !known.has(value);
  const [isCustomChosen, setIsCustom] = useState(isUnlisted);
  // A saved or typed model that is not among the suggestions is always shown as the custom choice.
  const isCustom = isCustomChosen || isUnlisted;
  const currentProvider = value.split('/')[0] ?? '';
  const isCurrentUnconfigured =
    value !== '' && !configured.some((provider) => provider.id === currentProvider);

  return (
    <div className="model-picker">
      <select
        id={id}
        className="input select"
        value={isCustom ? CUSTOM : value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(event) => {
          if (event.target.value === CUSTOM) {
            setIsCustom(true);
            return;
          }
          setIsCustom(false);
          onChange(event.target.value);
        }}
      >
        {value === '' ? <option value="">Choose a model…</option> : null}
        {configured.map((provider) => {
          const models = qualifiedModelIds(provider.id, provider.models);
          if (models.length === 0) return null;
          return (
            <optgroup key={provider.id} label={PROVIDER_LABELS[provider.id] ?? provider.id}>
              {models.map((model) => (
                <option key={model} value={model}>
                  {model}
                  {model === catalog.default ? ' (default)' : ''}
                </option>
              ))}
            </optgroup>
          );
        })}
        <option value={CUSTOM}>{isUnlisted ? `Custom: ${value}` : 'Another model…'}</option>
      </select>
      {isCustom ? (
        <input
          className="input input--mono"
          placeholder={`${configured.find((provider) => provider.id !== 'local')?.id ?? 'openai'}/model-name`}
          value={value}
          aria-label="Model, as provider/model name"
          aria-invalid={invalid}
          onChange={(event) => onChange(event.target.value.trim())}
        />
      ) : null}
      {isCurrentUnconfigured ? (
        <p className="field__warning">
          The provider “{currentProvider}” is not configured on this server
          {PROVIDER_SETTINGS[currentProvider] ? ` (set ${PROVIDER_SETTINGS[currentProvider]})` : ''}, so
          replies will fail until it is.
        </p>
      ) : null}
      {currentProvider === 'local' ? (
        <p className="field__hint">
          The built-in model needs no AI provider: it answers from this chatbot’s knowledge (quoting the best
          matching passage) and does not remember the conversation, so each message is answered on its own.
        </p>
      ) : null}
    </div>
  );
}
