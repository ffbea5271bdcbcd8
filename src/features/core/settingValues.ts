// Checks for setting values. A workspace's .vscode/settings.json is a stranger's file:
// VS Code hands its values over whatever their type, and the ranges in package.json are
// only hints to the settings editor. Each check returns the value to use and, when the
// raw value was not usable as it is, what was wrong (for one warning naming the setting).
// Pure: no `vscode` here, so the checks run under plain unit tests.

import type { Severity } from '../../model/analysis';

export type SeveritySetting = Severity | 'off';

export interface Checked<T> {
  value: T;
  /** Why the raw value was not used as it is; undefined when it was. */
  problem?: string;
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'string') return `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}"`;
  if (typeof raw === 'object') return 'an object';
  return String(raw);
}

export interface NumberRule {
  default: number;
  min: number;
  max: number;
  integer?: boolean;
}

/** A number in [min, max]: another type falls back to the default, a number out of range is clamped. */
export function checkNumber(raw: unknown, rule: NumberRule): Checked<number> {
  if (raw === undefined) return { value: rule.default };
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return { value: rule.default, problem: `${describe(raw)} is not a number; using ${rule.default}` };
  const value = Math.min(rule.max, Math.max(rule.min, rule.integer ? Math.floor(raw) : raw));
  if (value !== raw) return { value, problem: raw < rule.min || raw > rule.max ? `${raw} is outside ${rule.min} to ${rule.max}; using ${value}` : `${raw} is not a whole number; using ${value}` };
  return { value };
}

/** Enough for any real list; a hostile one is cut, not walked whole on every read. */
export const MAX_LIST_ITEMS = 10_000;
const MAX_ITEM_LENGTH = 200;

/** A list of strings: another type falls back to the empty list, other items are dropped. */
export function checkStringList(raw: unknown): Checked<string[]> {
  if (raw === undefined || raw === null) return raw === null ? { value: [], problem: 'null is not a list of names; using none' } : { value: [] };
  if (!Array.isArray(raw)) return { value: [], problem: `${describe(raw)} is not a list of names; using none` };
  const value: string[] = [];
  let dropped = 0;
  for (const item of raw.slice(0, MAX_LIST_ITEMS)) {
    if (typeof item === 'string' && item.length > 0 && item.length <= MAX_ITEM_LENGTH) value.push(item);
    else dropped++;
  }
  const cut = Math.max(0, raw.length - MAX_LIST_ITEMS);
  const problems = [
    ...(dropped > 0 ? [`${dropped} ${dropped === 1 ? 'entry is' : 'entries are'} not a mod name and ${dropped === 1 ? 'is' : 'are'} ignored`] : []),
    ...(cut > 0 ? [`only the first ${MAX_LIST_ITEMS} entries are used`] : []),
  ];
  return problems.length > 0 ? { value, problem: problems.join('; ') } : { value };
}

const MAX_SEVERITY_ENTRIES = 200;
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Severity per code: another type falls back to no overrides, an entry of another value is ignored. */
export function checkSeverityTable(raw: unknown): Checked<ReadonlyMap<string, SeveritySetting>> {
  if (raw === undefined) return { value: new Map() };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { value: new Map(), problem: `${describe(raw)} is not a table of severities; using the defaults` };
  const value = new Map<string, SeveritySetting>();
  const bad: string[] = [];
  // There are a few dozen codes: a longer table is a hostile one, and it is read for every finding.
  for (const [code, severity] of Object.entries(raw as Record<string, unknown>).slice(0, MAX_SEVERITY_ENTRIES)) {
    if (typeof severity === 'string' && SEVERITIES.has(severity)) value.set(code, severity as SeveritySetting);
    else bad.push(code);
  }
  if (bad.length === 0) return { value };
  const named = bad.slice(0, 5).map((c) => `"${c.length > 40 ? c.slice(0, 40) + '…' : c}"`).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
  return { value, problem: `${named}: a severity is one of error, warning, information, hint or off; the default is used there` };
}

/** A string: another type falls back to the default. */
export function checkString(raw: unknown, fallback: string): Checked<string> {
  if (raw === undefined) return { value: fallback };
  if (typeof raw !== 'string') return { value: fallback, problem: `${describe(raw)} is not text; using ${fallback === '' ? 'the default' : `"${fallback}"`}` };
  return { value: raw };
}
