import type { WidgetPublicConfig } from '@pollybot/contracts';

// The settings the dashboard's live preview posts (its form's current values, maybe half-typed), read
// defensively over defaults: the preview never calls the API, so nothing else checks them.

/** What the preview shows before the dashboard posts anything. */
export const PREVIEW_DEFAULTS: WidgetPublicConfig = {
  chatbotId: 'preview',
  title: 'Chat with us',
  welcomeMessage: 'Hi! How can I help?',
  starterQuestions: [],
  accentColor: '#4f46e5',
  theme: 'auto',
  position: 'bottom-right',
  avatarUrl: null,
  limitMessage: '',
  offlineMessage: '',
  identity: 'off',
};

/** The settings of a posted message, over the defaults; undefined when it is not settings. */
export function readPreviewSettings(data: unknown): WidgetPublicConfig | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = ('settings' in data ? (data as { settings: unknown }).settings : data) as Record<
    string,
    unknown
  >;
  if (typeof value !== 'object' || value === null || typeof value.title !== 'string') return undefined;
  const text = (field: unknown, fallback: string) => (typeof field === 'string' ? field : fallback);
  return {
    ...PREVIEW_DEFAULTS,
    title: value.title || PREVIEW_DEFAULTS.title,
    welcomeMessage: text(value.welcomeMessage, ''),
    starterQuestions: Array.isArray(value.starterQuestions)
      ? value.starterQuestions
          .filter((question): question is string => typeof question === 'string')
          .slice(0, 6)
      : [],
    accentColor: text(value.accentColor, PREVIEW_DEFAULTS.accentColor),
    theme: value.theme === 'light' || value.theme === 'dark' ? value.theme : 'auto',
    avatarUrl:
      typeof value.avatarUrl === 'string' && value.avatarUrl.startsWith('https://') ? value.avatarUrl : null,
  };
}
