import type { WidgetSettings } from '../api/types.ts';
import type { FieldErrors } from './validation.ts';

// The widget's appearance and behaviour form: its values as typed (numbers as text, starter questions one
// per line), checked with the contract's rules before a round trip, and turned into settings to save or to
// show in the live preview.

export interface WidgetFormValues {
  title: string;
  welcomeMessage: string;
  /** One question per line. */
  starterQuestions: string;
  accentColor: string;
  theme: WidgetSettings['theme'];
  position: WidgetSettings['position'];
  /** Empty for the default avatar. */
  avatarUrl: string;
  limitMessage: string;
  offlineMessage: string;
  identity: WidgetSettings['identity'];
  perVisitorRequests: string;
  perVisitorWindowSeconds: string;
  perIpRequests: string;
  perIpWindowSeconds: string;
  perDay: string;
}

export type WidgetField = keyof WidgetFormValues;

const MAX_STARTER_QUESTIONS = 6;
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The form's values for saved settings. */
export function settingsToValues(settings: WidgetSettings): WidgetFormValues {
  const { limits } = settings;
  return {
    title: settings.title,
    welcomeMessage: settings.welcomeMessage,
    starterQuestions: settings.starterQuestions.join('\n'),
    accentColor: settings.accentColor,
    theme: settings.theme,
    position: settings.position,
    avatarUrl: settings.avatarUrl ?? '',
    limitMessage: settings.limitMessage,
    offlineMessage: settings.offlineMessage,
    identity: settings.identity,
    perVisitorRequests: String(limits.perVisitor.requests),
    perVisitorWindowSeconds: String(limits.perVisitor.windowSeconds),
    perIpRequests: String(limits.perIp.requests),
    perIpWindowSeconds: String(limits.perIp.windowSeconds),
    perDay: String(limits.perDay),
  };
}

/** The starter questions box as a list: blank lines skipped. */
function readQuestions(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A whole number within [min, max], or an error sentence. */
function checkWhole(text: string, min: number, max: number): string | undefined {
  if (text.trim() === '') return 'Required.';
  const value = Number(text);
  if (!Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max)
    return `Between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}.`;
  return undefined;
}

/** Errors of the form, by field; empty when it can be saved. */
export function validateWidgetForm(values: WidgetFormValues): FieldErrors<WidgetField> {
  const errors: FieldErrors<WidgetField> = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the widget a title.';
  else if (title.length > 80) errors.title = 'Keep the title under 80 characters.';
  if (values.welcomeMessage.length > 1_000)
    errors.welcomeMessage = 'Keep the welcome message under 1,000 characters.';
  const questions = readQuestions(values.starterQuestions);
  if (questions.length > MAX_STARTER_QUESTIONS)
    errors.starterQuestions = `At most ${MAX_STARTER_QUESTIONS} starter questions; you wrote ${questions.length}.`;
  else if (questions.some((question) => question.length > 200))
    errors.starterQuestions = 'Keep each question under 200 characters.';
  if (!HEX_COLOUR.test(values.accentColor)) errors.accentColor = 'Write the colour as #rrggbb, e.g. #4f46e5.';
  const avatar = values.avatarUrl.trim();
  if (avatar && !isHttpsUrl(avatar)) errors.avatarUrl = 'Use an https:// address of an image.';
  else if (avatar.length > 2_000) errors.avatarUrl = 'Keep the address under 2,000 characters.';
  for (const field of ['limitMessage', 'offlineMessage'] as const) {
    const text = values[field].trim();
    if (!text) errors[field] = 'Write what a visitor reads then.';
    else if (text.length > 500) errors[field] = 'Keep it under 500 characters.';
  }
  const wholeNumbers: Array<[WidgetField, number, number]> = [
    ['perVisitorRequests', 1, 1_000_000],
    ['perVisitorWindowSeconds', 1, 86_400],
    ['perIpRequests', 1, 1_000_000],
    ['perIpWindowSeconds', 1, 86_400],
    ['perDay', 1, 10_000_000],
  ];
  for (const [field, min, max] of wholeNumbers) {
    const error = checkWhole(values[field], min, max);
    if (error) errors[field] = error;
  }
  return errors;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The settings the values stand for; call it on values without errors. */
export function valuesToSettings(values: WidgetFormValues): WidgetSettings {
  return {
    title: values.title.trim(),
    welcomeMessage: values.welcomeMessage,
    starterQuestions: readQuestions(values.starterQuestions),
    accentColor: values.accentColor.toLowerCase(),
    theme: values.theme,
    position: values.position,
    avatarUrl: values.avatarUrl.trim() || null,
    limitMessage: values.limitMessage.trim(),
    offlineMessage: values.offlineMessage.trim(),
    identity: values.identity,
    limits: {
      perVisitor: {
        requests: Number(values.perVisitorRequests),
        windowSeconds: Number(values.perVisitorWindowSeconds),
      },
      perIp: { requests: Number(values.perIpRequests), windowSeconds: Number(values.perIpWindowSeconds) },
      perDay: Number(values.perDay),
    },
  };
}

/**
 * What the live preview shows while the form is edited: each field as typed when it is valid, else as
 * saved, so a half-typed colour never reaches the widget.
 */
export function previewSettings(values: WidgetFormValues, saved: WidgetSettings): WidgetSettings {
  const errors = validateWidgetForm(values);
  const valid: WidgetFormValues = { ...values };
  const savedValues = settingsToValues(saved);
  for (const field of Object.keys(errors) as WidgetField[]) copyField(valid, savedValues, field);
  return valuesToSettings(valid);
}

function copyField<Field extends WidgetField>(
  target: WidgetFormValues,
  source: WidgetFormValues,
  field: Field,
): void {
  target[field] = source[field];
}

/** The form's field for a path of the server's validation details (`limits.perIp.requests`). */
export function widgetFieldOf(path: string): WidgetField | undefined {
  const limitFields: Record<string, WidgetField> = {
    'limits.perVisitor.requests': 'perVisitorRequests',
    'limits.perVisitor.windowSeconds': 'perVisitorWindowSeconds',
    'limits.perIp.requests': 'perIpRequests',
    'limits.perIp.windowSeconds': 'perIpWindowSeconds',
    'limits.perDay': 'perDay',
  };
  if (limitFields[path]) return limitFields[path];
  const head = path.split('.')[0] ?? '';
  const simple: readonly string[] = [
    'title',
    'welcomeMessage',
    'starterQuestions',
    'accentColor',
    'theme',
    'position',
    'avatarUrl',
    'limitMessage',
    'offlineMessage',
    'identity',
  ];
  return simple.includes(head) ? (head as WidgetField) : undefined;
}
