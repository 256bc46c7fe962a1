/**
 * `url` without its password, for messages and logs (`postgres://u:***@host/db`); a value that is
 * not a URL is replaced whole, since it might be one with a typo in it.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparseable URL, not shown)';
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
