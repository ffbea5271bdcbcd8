/** The message of anything thrown, for a log line or a result's `error` text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
