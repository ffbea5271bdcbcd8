import { readFileSync } from 'node:fs';

/** 1-based line and column of the character at `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Position just after the first occurrence of `marker` in a file (throws when absent). */
export function positionAfter(file: string, marker: string): { line: number; column: number } {
  const text = readFileSync(file, 'utf8');
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`"${marker}" not found in ${file}`);
  return lineColumnAt(text, index + marker.length);
}
