import { DEFAULT_WIDGET_SETTINGS, widgetSettingsSchema } from '@pollybot/contracts';
import { describe, expect, it } from 'vitest';
import {
  previewSettings,
  settingsToValues,
  validateWidgetForm,
  valuesToSettings,
  widgetFieldOf,
} from './widget-form.ts';

const defaults = settingsToValues(DEFAULT_WIDGET_SETTINGS);

describe('the widget form', () => {
  it('turns settings into values and back unchanged', () => {
    const settings = {
      ...DEFAULT_WIDGET_SETTINGS,
      starterQuestions: ['When are you open?', 'Do you ship abroad?'],
      avatarUrl: 'https://cdn.example.com/avatar.png',
    };
    expect(validateWidgetForm(settingsToValues(settings))).toEqual({});
    expect(valuesToSettings(settingsToValues(settings))).toEqual(settings);
  });

  it('saves settings the contract accepts: questions one per line, blank lines and spaces dropped', () => {
    const settings = valuesToSettings({
      ...defaults,
      title: '  Acme Bikes ',
      starterQuestions: ' When are you open? \n\n Do you ship abroad?\n',
      accentColor: '#0F766E',
      avatarUrl: '  ',
      perDay: '250',
    });
    expect(settings.title).toBe('Acme Bikes');
    expect(settings.starterQuestions).toEqual(['When are you open?', 'Do you ship abroad?']);
    expect(settings.accentColor).toBe('#0f766e');
    expect(settings.avatarUrl).toBeNull();
    expect(settings.limits.perDay).toBe(250);
    expect(widgetSettingsSchema.safeParse(settings).success).toBe(true);
  });

  it('points at each field the contract would refuse', () => {
    const errors = validateWidgetForm({
      ...defaults,
      title: ' ',
      starterQuestions: Array.from({ length: 7 }, (_, index) => `Question ${index}`).join('\n'),
      accentColor: '#12345',
      avatarUrl: 'http://cdn.example.com/a.png',
      limitMessage: '',
      perVisitorRequests: '0',
      perIpWindowSeconds: '86401',
      perDay: '2.5',
    });
    expect(errors).toEqual({
      title: 'Give the widget a title.',
      starterQuestions: 'At most 6 starter questions; you wrote 7.',
      accentColor: 'Write the colour as #rrggbb, e.g. #4f46e5.',
      avatarUrl: 'Use an https:// address of an image.',
      limitMessage: 'Write what a visitor reads then.',
      perVisitorRequests: 'Between 1 and 1,000,000.',
      perIpWindowSeconds: 'Between 1 and 86,400.',
      perDay: 'Enter a whole number.',
    });
  });

  it('previews the typed values that are valid and the saved ones in place of the others', () => {
    const preview = previewSettings(
      { ...defaults, title: 'Acme Bikes', accentColor: '#0f7', theme: 'dark', perDay: '' },
      DEFAULT_WIDGET_SETTINGS,
    );
    expect(preview.title).toBe('Acme Bikes');
    expect(preview.theme).toBe('dark');
    expect(preview.accentColor).toBe(DEFAULT_WIDGET_SETTINGS.accentColor);
    expect(preview.limits.perDay).toBe(DEFAULT_WIDGET_SETTINGS.limits.perDay);
    expect(widgetSettingsSchema.safeParse(preview).success).toBe(true);
  });

  it('maps the server’s validation paths to the form’s fields', () => {
    expect(widgetFieldOf('limits.perIp.requests')).toBe('perIpRequests');
    expect(widgetFieldOf('limits.perDay')).toBe('perDay');
    expect(widgetFieldOf('starterQuestions.3')).toBe('starterQuestions');
    expect(widgetFieldOf('accentColor')).toBe('accentColor');
    expect(widgetFieldOf('limits')).toBeUndefined();
    expect(widgetFieldOf('somethingElse')).toBeUndefined();
  });
});
