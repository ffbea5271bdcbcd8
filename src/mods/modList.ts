// mod-list.json: which mods the game enables. The game rewrites it on exit and other tools
// add keys of their own, so an edit here touches only the bytes it must: every other
// entry, key, order and formatting stays exactly as it was, and no change writes nothing.

import { promises as fs, Stats } from 'node:fs';
import * as path from 'node:path';
import { applyEdits, Edit, modify, Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { writeFileAtomic } from '../util/atomicWrite';
import { readCappedText, TooLargeError } from '../util/readCapped';
import { messageOf } from '../util/errors';

export const MOD_LIST_FILE = 'mod-list.json';
/** One backup, replaced at each write: the state just before the last change. */
export const MOD_LIST_BACKUP_FILE = 'mod-list.json.bak';
/** mod-list.json files of real players are a few kilobytes; anything far larger is not one. */
const MAX_MOD_LIST_BYTES = 16 * 1024 * 1024;

export interface ModListEntry {
  name: string;
  enabled: boolean;
}

export interface ModList {
  path: string;
  /** False when the file does not exist: then only `base` is enabled. */
  present: boolean;
  /** In file order; an entry without a string name is skipped. */
  entries: ModListEntry[];
  /** Set when the file exists but cannot be understood; `entries` is then empty. */
  problem?: string;
}

interface ParsedModList {
  mods: Node;
  entries: Array<{ name: string; node: Node; enabledNode: Node | undefined }>;
}

function property(object: Node, key: string): Node | undefined {
  const prop = object.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

/** A real mod-list.json nests three levels; far deeper is not one, and would exhaust the parser's stack. */
const MAX_MOD_LIST_DEPTH = 32;

/** The deepest nesting of arrays and objects in `text`, stopping once past `limit`. Linear; strings are skipped. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** Strict JSON, as the game reads it: a comment or a trailing comma is a problem too. */
function parseModListText(text: string): ParsedModList | { problem: string } {
  if (nestingDepth(text, MAX_MOD_LIST_DEPTH) > MAX_MOD_LIST_DEPTH) return { problem: `nested more than ${MAX_MOD_LIST_DEPTH} levels deep` };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) return { problem: `not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset})` };
  if (root?.type !== 'object') return { problem: 'not a JSON object' };
  const mods = property(root, 'mods');
  if (mods?.type !== 'array') return { problem: 'no "mods" array' };
  const entries: ParsedModList['entries'] = [];
  for (const node of mods.children ?? []) {
    if (node.type !== 'object') continue;
    const name = property(node, 'name');
    if (name?.type !== 'string') continue;
    entries.push({ name: name.value as string, node, enabledNode: property(node, 'enabled') });
  }
  return { mods, entries };
}

/** Parses mod-list.json text (undefined: the file does not exist). Never throws. */
export function parseModList(text: string | undefined, file = MOD_LIST_FILE): ModList {
  if (text === undefined) return { path: file, present: false, entries: [] };
  const parsed = parseModListText(text.replace(/^\uFEFF/, ''));
  if ('problem' in parsed) return { path: file, present: true, entries: [], problem: `${MOD_LIST_FILE}: ${parsed.problem}` };
  return {
    path: file,
    present: true,
    entries: parsed.entries.map((e) => ({ name: e.name, enabled: e.enabledNode?.value === true })),
  };
}

/** The text of `file` (undefined: it does not exist), through the capped reader. */
export async function readModListText(file: string): Promise<string | undefined> {
  try {
    return await readCappedText(file, MAX_MOD_LIST_BYTES, MOD_LIST_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof TooLargeError) throw new ModListError(`${MOD_LIST_FILE} is ${err.size} bytes: too large to be one`);
    throw err;
  }
}

/** Reads `<folder>/mod-list.json`. Never throws: problems land in `problem`. */
export async function readModList(folder: string): Promise<ModList> {
  const file = path.join(folder, MOD_LIST_FILE);
  try {
    return parseModList(await readModListText(file), file);
  } catch (err) {
    return { path: file, present: true, entries: [], problem: `${MOD_LIST_FILE}: ${messageOf(err)}` };
  }
}

/**
 * Whether the game would load the mod, as far as mod-list.json says: a listed mod by its
 * flag (the last entry wins when a name repeats); with no file, only `base`. A mod the
 * file does not list counts as not enabled.
 */
export function isEnabled(list: ModList, name: string): boolean {
  if (!list.present) return name === 'base';
  let enabled = false;
  for (const e of list.entries) if (e.name === name) enabled = e.enabled;
  return enabled;
}

export class ModListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModListError';
  }
}

export type EnableResult =
  | { ok: true; /** The new text; equal to the input when nothing changes. */ text: string; changed: boolean; /** Names appended as new entries. */ added: string[]; /** Listed names switched from disabled to enabled. */ enabled: string[] }
  | { ok: false; problem: string };

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lead = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(lead) ? lead : '';
}

/** A new entry written in the style of the entry before it (one line or one key per line). */
function formatEntry(text: string, previous: Node | undefined, name: string, eol: string, fallbackIndent: string): string {
  const nameJson = JSON.stringify(name);
  if (!previous) return `${fallbackIndent}{${eol}${fallbackIndent}  "name": ${nameJson},${eol}${fallbackIndent}  "enabled": true${eol}${fallbackIndent}}`;
  const indent = lineIndent(text, previous.offset);
  const previousText = text.slice(previous.offset, previous.offset + previous.length);
  if (!previousText.includes('\n')) return `${indent}{"name": ${nameJson}, "enabled": true}`;
  const firstProp = previous.children?.[0];
  const propIndent = firstProp ? lineIndent(text, firstProp.offset) || `${indent}  ` : `${indent}  `;
  return `${indent}{${eol}${propIndent}"name": ${nameJson},${eol}${propIndent}"enabled": true${eol}${indent}}`;
}

/**
 * Enables `names` in mod-list.json text (undefined: no file yet, so one is made with
 * `base` enabled plus the names). Listed mods get `"enabled": true` in place; others are
 * appended. Pure; refuses text it cannot understand rather than guess.
 */
export function enableInModListText(text: string | undefined, names: readonly string[]): EnableResult {
  const wanted = [...new Set(names)];
  if (text === undefined) {
    const all = ['base', ...wanted.filter((n) => n !== 'base')];
    const body = all.map((n) => `    {\n      "name": ${JSON.stringify(n)},\n      "enabled": true\n    }`).join(',\n');
    return { ok: true, text: `{\n  "mods": [\n${body}\n  ]\n}\n`, changed: true, added: all, enabled: [] };
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const parsed = parseModListText(body);
  if ('problem' in parsed) return { ok: false, problem: `${MOD_LIST_FILE}: ${parsed.problem}` };
  const eol = body.includes('\r\n') ? '\r\n' : '\n';

  const edits: Edit[] = [];
  const added: string[] = [];
  const enabled: string[] = [];
  for (const name of wanted) {
    const listed = parsed.entries.filter((e) => e.name === name);
    if (listed.length === 0) {
      added.push(name);
      continue;
    }
    let switched = false;
    for (const entry of listed) {
      if (entry.enabledNode?.value === true) continue;
      switched = true;
      if (entry.enabledNode) {
        edits.push(...modify(body, ['mods', parsed.mods.children?.indexOf(entry.node) ?? -1, 'enabled'], true, {}));
      } else {
        // No "enabled" key: add one after the last property, in the same object.
        const last = entry.node.children?.at(-1);
        const at = last ? last.offset + last.length : entry.node.offset + 1;
        edits.push({ offset: at, length: 0, content: last ? ', "enabled": true' : '"enabled": true' });
      }
    }
    if (switched) enabled.push(name);
  }

  if (added.length > 0) {
    const children = parsed.mods.children ?? [];
    const last = children.at(-1);
    const arrayIndent = lineIndent(body, parsed.mods.offset);
    const pieces = added.map((n) => formatEntry(body, last, n, eol, `${arrayIndent}  `));
    if (last) {
      // Entries written one after another on a line continue that line.
      const lineStart = body.lastIndexOf('\n', last.offset - 1) + 1;
      const separator = /^[ \t]*$/.test(body.slice(lineStart, last.offset)) ? `,${eol}` : ', ';
      edits.push({ offset: last.offset + last.length, length: 0, content: `${separator}${pieces.join(separator)}` });
    } else {
      // `[]` (possibly with whitespace inside): replace its inside.
      edits.push({ offset: parsed.mods.offset + 1, length: parsed.mods.length - 2, content: `${eol}${pieces.join(`,${eol}`)}${eol}${arrayIndent}` });
    }
  }

  if (edits.length === 0) return { ok: true, text, changed: false, added, enabled };
  // Every edit is computed on the same text and none overlaps another, as applyEdits needs.
  return { ok: true, text: bom + applyEdits(body, edits), changed: true, added, enabled };
}

export interface ModListWrite {
  path: string;
  changed: boolean;
  added: string[];
  enabled: string[];
  /** The backup made before writing (`mod-list.json.bak`), when a file existed. */
  backupPath?: string;
  /** Why no backup was made although a file existed (a `mod-list.json.bak` that is not a plain file). */
  backupSkipped?: string;
}

/**
 * The backup of the text about to be replaced. `mod-list.json.bak` always holds the state
 * just before this extension's latest change, so a plain file of that name is replaced.
 * Anything else of that name (a link, a folder) is not ours to write through or over:
 * it is left alone and the write goes on without a backup, saying why.
 */
async function writeBackup(folder: string, text: string): Promise<{ backupPath: string } | { backupSkipped: string }> {
  const backupPath = path.join(folder, MOD_LIST_BACKUP_FILE);
  let stat: Stats | undefined;
  try {
    stat = await fs.lstat(backupPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { backupSkipped: `${MOD_LIST_BACKUP_FILE}: ${messageOf(err)}` };
  }
  if (stat && !stat.isFile()) return { backupSkipped: `${MOD_LIST_BACKUP_FILE} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a plain file'}; it was left as it is and no backup was made` };
  await writeFileAtomic(backupPath, text);
  return { backupPath };
}

/**
 * Enables `names` in `<folder>/mod-list.json`: copies the current file to
 * `mod-list.json.bak` (see writeBackup), then writes atomically. Writes nothing when nothing changes.
 * Throws ModListError when the file cannot be understood (it is then left untouched).
 */
export async function enableModsInFolder(folder: string, names: readonly string[]): Promise<ModListWrite> {
  const file = path.join(folder, MOD_LIST_FILE);
  const text = await readModListText(file);
  const result = enableInModListText(text, names);
  if (!result.ok) throw new ModListError(result.problem);
  if (!result.changed) return { path: file, changed: false, added: [], enabled: [] };
  const backup = text !== undefined ? await writeBackup(folder, text) : {};
  // Through a symbolic link to its target, keeping the file's mode (see writeFileAtomic).
  await writeFileAtomic(file, result.text);
  return { path: file, changed: true, added: result.added, enabled: result.enabled, ...backup };
}
