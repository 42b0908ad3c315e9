import type { WidgetPublicConfig } from '@pollybot/contracts';

/** The panel's look from the config: light or dark (auto follows the visitor's system), and the accent. */
export function applyTheme(config: Pick<WidgetPublicConfig, 'theme' | 'accentColor'>): void {
  const root = document.documentElement;
  const dark =
    config.theme === 'dark' ||
    (config.theme === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.dataset.theme = dark ? 'dark' : 'light';
  const accent = /^#[0-9a-fA-F]{6}$/.test(config.accentColor) ? config.accentColor : '#4f46e5';
  // Set through the CSSOM, which the frame's `style-src 'self'` allows (unlike a style attribute).
  root.style.setProperty('--accent', accent);
  root.style.setProperty('--on-accent', textColourOn(accent));
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function textColourOn(hex: string): '#000000' | '#ffffff' {
  const channels = [1, 3, 5].map((start) => {
    const value = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05: white wins below L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
