// A check of the dashboard suite's steps: a page fits a phone's width.

/**
 * Run in the page: nothing when the page does not scroll sideways at `width`; else what makes it scroll:
 * an element or a text drawn past the edge outside any box that scrolls it, or failing that the path of
 * elements whose hiding ends the scroll.
 */
export function findSidewaysOverflow(width: number): string[] {
  if (document.documentElement.scrollWidth <= width) return [];
  const isScrolledWithin = (element: Element | null) => {
    for (let box = element; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX !== 'visible' && box.getBoundingClientRect().right <= width) return true;
    }
    return false;
  };
  const name = (element: Element | null) =>
    element ? `${element.tagName.toLowerCase()}.${element.className}` : '?';
  const found: string[] = [];
  for (const element of Array.from(document.querySelectorAll('body *'))) {
    if (element.getBoundingClientRect().right > width + 0.5 && !isScrolledWithin(element.parentElement))
      found.push(name(element));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getBoundingClientRect().right > width + 0.5 && !isScrolledWithin(node.parentElement))
      found.push(`text in ${name(node.parentElement)}: ${node.textContent?.slice(0, 40)}`);
  }
  if (found.length > 0) return found;
  // Nothing drawn past the edge: follow down the elements whose hiding ends the sideways scroll.
  const path: string[] = [];
  let parent: Element = document.body;
  for (;;) {
    const culprit = Array.from(parent.children).find((child) => {
      const element = child as HTMLElement;
      const display = element.style.display;
      element.style.display = 'none';
      const fits = document.documentElement.scrollWidth <= width;
      element.style.display = display;
      return fits;
    });
    if (!culprit) break;
    path.push(name(culprit));
    parent = culprit;
  }
  return [`scrollWidth ${document.documentElement.scrollWidth}: ${path.join(' > ')}`];
}
