// What the mod list holds in memory for every mod: plain data, read without any I/O.

export interface LatestRelease {
  readonly version: string;
  readonly factorio_version: string;
  /** When it came out, in milliseconds since the epoch; NaN when unknown. */
  readonly released: number;
}

/** A mod as the list summarises it. Owner, summary, links and release file come from `details()`. */
export interface ModSummary {
  readonly name: string;
  readonly title: string;
  readonly downloads_count: number;
  readonly category?: string;
  readonly latest?: LatestRelease;
}
