/**
 * `url` without its trailing slashes. A loop, not `/\/+$/`: that regex rescans a run of
 * slashes from every position in it, quadratic on a long run.
 */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}

/**
 * A size as people read it: bytes below a kilobyte, else one decimal below 100 units
 * ("3.1 KB", "12.4 MB", "250 MB"). Units of 1024, as file managers on most systems show.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
