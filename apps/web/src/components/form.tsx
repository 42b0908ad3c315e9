import { type ReactNode, useId } from 'react';
import './form.css';

/** A labelled form control with its hint and inline error. */
export function Field({
  label,
  hint,
  error,
  children,
  optional,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional ? <span className="field__optional">Optional</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** An on/off switch with its label and description. */
export function Toggle({
  checked,
  onChange,
  label,
  description,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  description?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="toggle-row">
      <div>
        <label className="toggle-row__label" htmlFor={id}>
          {label}
        </label>
        {description ? <p className="toggle-row__description">{description}</p> : null}
      </div>
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        className={`switch${checked ? ' switch--on' : ''}`}
        onClick={() => onChange(!checked)}
      >
        <span className="switch__thumb" />
      </button>
    </div>
  );
}

/** A choice among a few options, as joined buttons. */
export function Segmented<Value extends string>({
  value,
  options,
  onChange,
  label,
}: {
  value: Value;
  options: Array<{ value: Value; label: string }>;
  onChange: (value: Value) => void;
  label: string;
}) {
  return (
    <fieldset className="segmented" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={option.value === value}
          className={`segmented__option${option.value === value ? ' segmented__option--active' : ''}`}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}

/** A labelled Segmented choice with a hint below it that describes the chosen option. */
export function SegmentedField<Value extends string>({
  label,
  hint,
  ...segmented
}: {
  label: string;
  hint: ReactNode;
  value: Value;
  options: Array<{ value: Value; label: string }>;
  onChange: (value: Value) => void;
}) {
  return (
    <div className="field">
      <span className="field__label">{label}</span>
      <Segmented label={label} {...segmented} />
      <p className="field__hint">{hint}</p>
    </div>
  );
}
