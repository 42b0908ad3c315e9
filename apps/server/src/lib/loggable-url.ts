/** Query parameters that carry nobody's data (paging, periods, ids of our own): logged as sent. */
const LOGGED_PARAMETERS = new Set(['limit', 'cursor', 'after', 'days', 'from', 'to', 'chatbotId']);

/** A parameter name worth keeping when its value is hidden; anything else may itself be someone's data. */
const PLAIN_NAME = /^[A-Za-z][\w.-]{0,39}$/;

const REDACTED = '[redacted]';

/**
 * The URL as the log keeps it: the path, and of the query string only paging and ids. Every other value
 * (`q` is what someone searched for, `userId` names a visitor, and so may any parameter added later) is
 * replaced, and a name that is not a plain word goes with it.
 */
export function toLoggableUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      if (LOGGED_PARAMETERS.has(name)) return pair;
      return PLAIN_NAME.test(name) ? `${name}=${REDACTED}` : REDACTED;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}
