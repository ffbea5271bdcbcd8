/**
 * `url` without its trailing slashes. A loop, not `/\/+$/`: that regex rescans a run of
 * slashes from every position in it, quadratic on a long run.
 */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}
