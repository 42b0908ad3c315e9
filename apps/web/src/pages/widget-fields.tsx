import { IDENTITY_MODES, WIDGET_POSITIONS, WIDGET_THEMES } from '@pollybot/contracts';
import { Field, SegmentedField } from '../components/form.tsx';
import { Card } from '../components/layout.tsx';
import { formatNumber } from '../lib/format.ts';
import type { FieldErrors } from '../lib/validation.ts';
import type { WidgetField, WidgetFormValues } from '../lib/widget-form.ts';

// The fields of the widget's settings form, in three cards: how it looks, what a visitor reads when it
// cannot answer, and what the public may do (limits and identity).

interface FieldsProps {
  values: WidgetFormValues;
  errors: FieldErrors<WidgetField>;
  onChange: <Field extends WidgetField>(field: Field, value: WidgetFormValues[Field]) => void;
}

type TextField = Exclude<WidgetField, 'theme' | 'position' | 'identity'>;

const THEME_LABELS: Record<(typeof WIDGET_THEMES)[number], string> = {
  light: 'Light',
  dark: 'Dark',
  auto: 'Auto',
};
const POSITION_LABELS: Record<(typeof WIDGET_POSITIONS)[number], string> = {
  'bottom-right': 'Bottom right',
  'bottom-left': 'Bottom left',
};
const IDENTITY_LABELS: Record<(typeof IDENTITY_MODES)[number], { label: string; hint: string }> = {
  off: { label: 'Off', hint: 'Every visitor is anonymous; identity tokens are ignored.' },
  optional: {
    label: 'Optional',
    hint: 'Visitors your site identifies are verified; others chat anonymously. A bad token is refused.',
  },
  required: {
    label: 'Required',
    hint: 'Only visitors your site identifies with a valid token can chat.',
  },
};

/** A one-line or multi-line text setting. */
function TextSetting({
  label,
  field,
  hint,
  rows,
  optional,
  placeholder,
  values,
  errors,
  onChange,
}: FieldsProps & {
  label: string;
  field: TextField;
  hint?: string;
  rows?: number;
  optional?: boolean;
  placeholder?: string;
}) {
  return (
    <Field label={label} error={errors[field]} hint={hint} optional={optional}>
      {(props) =>
        rows ? (
          <textarea
            {...props}
            className="input textarea"
            rows={rows}
            dir="auto"
            placeholder={placeholder}
            value={values[field]}
            onChange={(event) => onChange(field, event.target.value)}
          />
        ) : (
          <input
            {...props}
            className="input"
            dir="auto"
            placeholder={placeholder}
            value={values[field]}
            onChange={(event) => onChange(field, event.target.value)}
          />
        )
      }
    </Field>
  );
}

/** A whole-number setting. */
function NumberSetting({
  label,
  field,
  values,
  errors,
  onChange,
}: FieldsProps & { label: string; field: TextField }) {
  return (
    <Field label={label} error={errors[field]}>
      {(props) => (
        <input
          {...props}
          className="input"
          type="number"
          inputMode="numeric"
          min={1}
          value={values[field]}
          onChange={(event) => onChange(field, event.target.value)}
        />
      )}
    </Field>
  );
}

/** Every setting of the widget, grouped. */
export function WidgetFields(props: FieldsProps) {
  const { values, errors, onChange } = props;
  const questionCount = values.starterQuestions.split('\n').filter((line) => line.trim()).length;
  return (
    <div className="stack stack--lg">
      <Card title="Appearance" description="What visitors see. The preview follows as you type.">
        <div className="form">
          <TextSetting {...props} label="Title" field="title" placeholder="Chat with us" />
          <TextSetting
            {...props}
            label="Welcome message"
            field="welcomeMessage"
            rows={2}
            optional
            hint="Shown first in a new conversation."
          />
          <TextSetting
            {...props}
            label="Starter questions"
            field="starterQuestions"
            rows={3}
            optional
            placeholder={'When are you open?\nDo you ship abroad?'}
            hint={`One per line, up to 6; a visitor sends one with a click. ${questionCount} / 6.`}
          />
          <Field
            label="Accent colour"
            error={errors.accentColor}
            hint="The launcher, your visitor’s messages and links."
          >
            {(fieldProps) => (
              <div className="deploy__colour">
                <input
                  type="color"
                  className="deploy__swatch"
                  aria-label="Pick the accent colour"
                  value={/^#[0-9a-fA-F]{6}$/.test(values.accentColor) ? values.accentColor : '#000000'}
                  onChange={(event) => onChange('accentColor', event.target.value)}
                />
                <input
                  {...fieldProps}
                  className="input input--mono"
                  maxLength={7}
                  spellCheck={false}
                  value={values.accentColor}
                  onChange={(event) => onChange('accentColor', event.target.value.trim())}
                />
              </div>
            )}
          </Field>
          <SegmentedField
            label="Theme"
            value={values.theme}
            options={WIDGET_THEMES.map((theme) => ({ value: theme, label: THEME_LABELS[theme] }))}
            onChange={(theme) => onChange('theme', theme)}
            hint={
              values.theme === 'auto' ? 'Follows the visitor’s system setting.' : `Always ${values.theme}.`
            }
          />
          <SegmentedField
            label="Launcher position"
            value={values.position}
            options={WIDGET_POSITIONS.map((position) => ({
              value: position,
              label: POSITION_LABELS[position],
            }))}
            onChange={(position) => onChange('position', position)}
            hint="Where the chat bubble sits on the page."
          />
          <TextSetting
            {...props}
            label="Avatar URL"
            field="avatarUrl"
            optional
            placeholder="https://www.example.com/avatar.png"
            hint="An https:// image shown beside the assistant’s replies; empty for the default."
          />
        </div>
      </Card>
      <Card title="Messages" description="What a visitor reads instead of an error.">
        <div className="form">
          <TextSetting
            {...props}
            label="Limit message"
            field="limitMessage"
            rows={2}
            hint="When a limit below trips, or your workspace runs out of credits."
          />
          <TextSetting
            {...props}
            label="Offline message"
            field="offlineMessage"
            rows={2}
            hint="When the chatbot cannot answer: the model failed, or the chatbot is inactive."
          />
        </div>
      </Card>
      <Card
        title="Limits and identity"
        description="What the public may spend, on top of the chatbot’s own rate limit and your credits."
      >
        <div className="form">
          <div className="deploy__pair">
            <NumberSetting {...props} label="Messages per visitor" field="perVisitorRequests" />
            <NumberSetting {...props} label="Per visitor window (seconds)" field="perVisitorWindowSeconds" />
          </div>
          <div className="deploy__pair">
            <NumberSetting {...props} label="Messages per IP address" field="perIpRequests" />
            <NumberSetting {...props} label="Per IP window (seconds)" field="perIpWindowSeconds" />
          </div>
          <NumberSetting {...props} label="Messages per day" field="perDay" />
          <p className="field__hint">
            {Number.isInteger(Number(values.perDay)) && Number(values.perDay) > 0
              ? `At most ${formatNumber(Number(values.perDay))} widget messages a day (UTC) for this chatbot, all visitors together.`
              : 'Enter whole numbers.'}
          </p>
          <SegmentedField
            label="Identity verification"
            value={values.identity}
            options={IDENTITY_MODES.map((mode) => ({ value: mode, label: IDENTITY_LABELS[mode].label }))}
            onChange={(identity) => onChange('identity', identity)}
            hint={IDENTITY_LABELS[values.identity].hint}
          />
        </div>
      </Card>
    </div>
  );
}
