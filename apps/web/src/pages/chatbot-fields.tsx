import type { ModelCatalog } from '../api/types.ts';
import { Field, SegmentedField, Toggle } from '../components/form.tsx';
import { Card } from '../components/layout.tsx';
import { ModelPicker, unconfiguredProviders } from '../components/model-picker.tsx';
import { describeTemperature } from '../lib/chatbot-form.ts';
import { formatNumber, formatRateLimit } from '../lib/format.ts';
import type { ChatbotField, ChatbotFormValues, FieldErrors } from '../lib/validation.ts';
import './chatbot-fields.css';

const WINDOW_PRESETS = [
  { label: 'per minute', seconds: 60 },
  { label: 'per hour', seconds: 3600 },
  { label: 'per day', seconds: 86_400 },
];

type NumberSetting = 'maxTokens' | 'rateLimitRequests' | 'rateLimitWindowSeconds';

interface SettingProps {
  values: ChatbotFormValues;
  errors: FieldErrors<ChatbotField>;
  onChange: <Field extends ChatbotField>(field: Field, value: ChatbotFormValues[Field]) => void;
}

/** A numeric setting typed as whole numbers from 1 (the form checks the range on submit). */
function WholeNumberField({
  label,
  field,
  hint,
  max,
  isNarrow = false,
  values,
  errors,
  onChange,
}: SettingProps & { label: string; field: NumberSetting; hint?: string; max?: number; isNarrow?: boolean }) {
  return (
    <Field label={label} error={errors[field]} hint={hint}>
      {(props) => (
        <input
          {...props}
          className={isNarrow ? 'input input--narrow' : 'input'}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          value={values[field]}
          onChange={(event) => onChange(field, event.target.value)}
        />
      )}
    </Field>
  );
}

/** Every setting of a chatbot, grouped: what it says, how it generates, how it may be called. */
export function ChatbotFields({
  values,
  errors,
  catalog,
  onChange,
}: SettingProps & { catalog: ModelCatalog }) {
  const missing = unconfiguredProviders(catalog);
  const requests = Number(values.rateLimitRequests);
  const windowSeconds = Number(values.rateLimitWindowSeconds);
  const isLimitReadable =
    Number.isInteger(requests) && requests > 0 && Number.isInteger(windowSeconds) && windowSeconds > 0;

  return (
    <div className="form-layout">
      <div className="stack stack--lg">
        <Card
          title="Basics"
          description="How the chatbot is named in the dashboard and what it is told before every conversation."
        >
          <div className="form">
            <Field label="Name" error={errors.name}>
              {(props) => (
                <input
                  {...props}
                  className="input"
                  value={values.name}
                  placeholder="Support assistant"
                  maxLength={200}
                  onChange={(event) => onChange('name', event.target.value)}
                />
              )}
            </Field>
            <Field
              label="Instructions"
              error={errors.instructions}
              hint={`The system prompt. ${formatNumber(values.instructions.length)} / 32,000 characters.`}
            >
              {(props) => (
                <textarea
                  {...props}
                  className="input textarea"
                  rows={9}
                  value={values.instructions}
                  placeholder="You are a friendly assistant for Acme Inc. Answer briefly and politely…"
                  onChange={(event) => onChange('instructions', event.target.value)}
                />
              )}
            </Field>
            <Field
              label="Fallback message"
              optional
              error={errors.fallbackMessage}
              hint={`What the chatbot replies when its knowledge has nothing on a question. Leave it empty for the built-in wording (“I couldn’t find anything about that…”). ${formatNumber(values.fallbackMessage.trim().length)} / 2,000 characters.`}
            >
              {(props) => (
                <textarea
                  {...props}
                  className="input textarea"
                  rows={3}
                  value={values.fallbackMessage}
                  placeholder="I'm sorry, I don't know that yet. Our team answers at help@acme.example within a day."
                  onChange={(event) => onChange('fallbackMessage', event.target.value)}
                />
              )}
            </Field>
          </div>
        </Card>
        <Card title="Model" description="Which model answers, and how it samples.">
          <div className="form">
            <Field
              label="Model"
              error={errors.model}
              hint={
                missing.length > 0
                  ? `Only providers configured on this server are listed. Not configured: ${missing
                      .map((provider) =>
                        provider.variable ? `${provider.label} (${provider.variable})` : provider.label,
                      )
                      .join(', ')}.`
                  : 'Every provider is configured on this server.'
              }
            >
              {(props) => (
                <ModelPicker
                  id={props.id}
                  value={values.model}
                  invalid={props['aria-invalid']}
                  describedBy={props['aria-describedby']}
                  catalog={catalog}
                  onChange={(model) => onChange('model', model)}
                />
              )}
            </Field>
            <Field
              label="Temperature"
              error={errors.temperature}
              hint={describeTemperature(values.temperature)}
            >
              {(props) => (
                <div className="slider">
                  <input
                    {...props}
                    type="range"
                    min={0}
                    max={2}
                    step={0.05}
                    value={values.temperature}
                    onChange={(event) => onChange('temperature', Number(event.target.value))}
                  />
                  <output className="slider__value">{values.temperature.toFixed(2)}</output>
                </div>
              )}
            </Field>
            <WholeNumberField
              label="Max tokens"
              field="maxTokens"
              hint="The longest reply, in tokens (1 to 200,000)."
              max={200_000}
              isNarrow
              values={values}
              errors={errors}
              onChange={onChange}
            />
          </div>
        </Card>
      </div>
      <div className="stack stack--lg">
        <Card title="Availability">
          <div className="form">
            <SegmentedField
              label="Status"
              value={values.status}
              options={[
                { value: 'active', label: 'Active' },
                { value: 'inactive', label: 'Inactive' },
              ]}
              onChange={(status) => onChange('status', status)}
              hint={
                values.status === 'active'
                  ? 'Answers every valid request.'
                  : 'Refuses every message with 403 CHATBOT_INACTIVE.'
              }
            />
            <Toggle
              label="Stream replies by default"
              description={
                <>
                  Used when a request does not set <code>stream</code>. Replies then arrive token by token as
                  Server-Sent Events.
                </>
              }
              checked={values.streaming}
              onChange={(streaming) => onChange('streaming', streaming)}
            />
          </div>
        </Card>
        <Card
          title="Rate limit"
          description="How many chat requests this chatbot accepts per window, shared by every API key."
        >
          <div className="form">
            <div className="form-row">
              <WholeNumberField
                label="Requests"
                field="rateLimitRequests"
                values={values}
                errors={errors}
                onChange={onChange}
              />
              <WholeNumberField
                label="Window (seconds)"
                field="rateLimitWindowSeconds"
                max={86_400}
                values={values}
                errors={errors}
                onChange={onChange}
              />
            </div>
            <div className="preset-row">
              {WINDOW_PRESETS.map((preset) => (
                <button
                  key={preset.seconds}
                  type="button"
                  className={`chip chip--button${windowSeconds === preset.seconds ? ' chip--active' : ''}`}
                  onClick={() => onChange('rateLimitWindowSeconds', String(preset.seconds))}
                >
                  {preset.label}
                </button>
              ))}
            </div>
            <p className="field__hint">
              {isLimitReadable
                ? `Up to ${formatRateLimit({ requests, windowSeconds })}. Over the limit, requests get 429 with Retry-After.`
                : 'Enter whole numbers.'}
            </p>
          </div>
        </Card>
      </div>
    </div>
  );
}
