// Commands run from the palette (no argument), from tree items (the node), from other
// commands or tests (a name or an options object). These read what they were given.

import type { DependencyKind } from '../../model/dependency';

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A mod name from a string, `{ name }`, or a tree node (`{ mod: { name } }`, `{ node: { name } }`). */
export function modNameArg(arg: unknown): string | undefined {
  return str(arg) ?? str(field(arg, 'name')) ?? str(field(field(arg, 'mod'), 'name')) ?? str(field(field(arg, 'node'), 'name'));
}

export function stringArg(arg: unknown, key: string): string | undefined {
  return str(field(arg, key));
}

export function booleanArg(arg: unknown, key: string): boolean | undefined {
  const v = field(arg, key);
  return typeof v === 'boolean' ? v : undefined;
}

const KINDS: readonly DependencyKind[] = ['required', 'incompatible', 'optional', 'hidden-optional', 'no-load-order', 'recommended'];

export function kindArg(arg: unknown): DependencyKind | undefined {
  const v = field(arg, 'kind');
  return KINDS.find((k) => k === v);
}
