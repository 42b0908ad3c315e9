/**
 * The launcher's and the panel frame's styles, inside the closed shadow root. `:host` rules marked
 * `!important` win over any page rule (the shadow tree's important declarations come last in the cascade),
 * so a page's `* { display: none !important }` or huge fonts cannot hide or resize the widget; every size
 * inside is in pixels. Below 481 px the open panel fills the screen.
 */
export function launcherStyle(accent: string, side: 'left' | 'right'): string {
  return `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;
width:0!important;height:0!important;${side}:0!important;bottom:0!important;visibility:visible!important;
opacity:1!important;transform:none!important;filter:none!important}
button{all:initial;box-sizing:border-box;position:fixed;${side}:20px;bottom:20px;width:56px;height:56px;
border-radius:28px;background:${accent};color:#fff;cursor:pointer;display:flex;align-items:center;
justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}
svg{width:28px;height:28px;display:block;fill:none;stroke:currentColor;stroke-width:2}
iframe{all:initial;position:fixed;${side}:20px;bottom:88px;width:380px;height:640px;max-height:calc(100vh - 108px);
border:0;border-radius:14px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3);display:block;color-scheme:normal}
iframe[hidden]{display:none}
@media (max-width:480px){iframe{top:0;left:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}
.open button{display:none}}
`;
}

/** A speech bubble, drawn without an image request. */
export const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" stroke-linejoin="round"/></svg>';
