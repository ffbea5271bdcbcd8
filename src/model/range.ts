/** A span of text: 0-based character offsets, end exclusive. */
export interface Range {
  start: number;
  end: number;
}
