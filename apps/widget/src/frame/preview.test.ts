import { describe, expect, it } from 'vitest';
import { readPreviewSettings } from './preview-settings.ts';

describe('readPreviewSettings', () => {
  it('reads the settings the dashboard posts, bare or under `settings`', () => {
    const settings = { title: 'Acme', accentColor: '#0f766e', theme: 'dark', starterQuestions: ['Hours?'] };
    for (const posted of [settings, { settings }]) {
      expect(readPreviewSettings(posted)).toMatchObject({
        title: 'Acme',
        accentColor: '#0f766e',
        theme: 'dark',
        starterQuestions: ['Hours?'],
      });
    }
  });

  it('ignores what is not settings, and keeps only https avatars and known themes', () => {
    expect(readPreviewSettings('hello')).toBeUndefined();
    expect(readPreviewSettings({ type: 'other' })).toBeUndefined();
    const read = readPreviewSettings({ title: 'x', avatarUrl: 'javascript:alert(1)', theme: 'neon' });
    expect(read?.avatarUrl).toBeNull();
    expect(read?.theme).toBe('auto');
  });
});
