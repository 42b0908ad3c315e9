/** A reason fit to show the user: "the host name could not be found, or it is not an address on the public internet", "the server answered 404", "the sitemap lists no pages", "the page has no text", "no page of the sitemap could be imported (first error: ...)" */
export class WebImportError extends Error {
  override name = 'WebImportError';
}
