/** A reason fit to show the user: "the address resolves to a private network address", "the server answered 404", "the sitemap lists no pages", "the page has no text", "no page of the sitemap could be imported (first error: ...)" */
export class WebImportError extends Error {
  override name = 'WebImportError';
}
