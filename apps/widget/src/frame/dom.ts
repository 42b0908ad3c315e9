type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/**
 * Creates an element: attributes (`on*` functions become listeners; `true` is an empty attribute, `false`
 * or undefined none) and children, strings added as text nodes (never parsed as HTML).
 */
export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** An inline icon from a path list; decorative (the button around it carries the name). */
export function icon(paths: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths.split('|')) {
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export const ICONS = {
  close: 'M6 6l12 12|M18 6L6 18',
  plus: 'M12 5v14|M5 12h14',
  send: 'M4 12l16-8-6 16-2.5-6.5z',
  copy: 'M9 9h11v11H9z|M5 15H4V4h11v1',
  up: 'M7 11v9H4v-9zm0 0l4-7a2 2 0 0 1 3 2l-1 4h6a2 2 0 0 1 2 2.3l-1.3 6A2 2 0 0 1 17.7 20H7',
  down: 'M7 13V4H4v9zm0 0l4 7a2 2 0 0 0 3-2l-1-4h6a2 2 0 0 0 2-2.3l-1.3-6A2 2 0 0 0 17.7 4H7',
};
