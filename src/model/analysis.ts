// The diagnostics rules as plain data. Each rule is a small function over the parsed
// document; portal knowledge comes in through AnalysisContext so the rules stay pure.

import type { Release } from '../portal/types';
import { builtinAvailableIn, builtinMod, builtinVersionRange, formatVersionRange, isBuiltinMod } from './builtins';
import { DependencyKind, dependencySpec, formatDependency, isRequiredKind, parseDependency, ParsedDependency } from './dependency';
import { DependencyItem, dependencyRange, InfoJsonDocument, InfoJsonField } from './document';
import type { Range } from './range';
import { compatibleReleases, latestRelease, newestSatisfying } from './releases';
import {
  compareVersions,
  DEFAULT_FACTORIO_VERSION,
  formatVersion,
  Operator,
  parseFactorioVersion,
  parseModVersion,
  parseVersion,
  satisfiableWithin,
  satisfies,
  updatedOperator,
  Version,
} from './version';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type FindingCode =
  | 'json-syntax'
  | 'json-comment'
  | 'json-trailing-comma'
  | 'invalid-name'
  | 'invalid-version'
  | 'invalid-factorio-version'
  | 'missing-field'
  | 'dependency-not-string'
  | 'malformed-dependency'
  | 'unknown-mod'
  | 'deprecated-mod'
  | 'no-compatible-release'
  | 'unsatisfiable-constraint'
  | 'outdated-constraint'
  | 'outdated-minimum'
  | 'duplicate-dependency'
  | 'self-dependency'
  | 'version-on-incompatible'
  | 'recommended-needs-2.1'
  | 'builtin-version-mismatch'
  | 'builtin-unavailable'
  | 'workspace-version-mismatch'
  | 'already-published'
  | 'name-owned-by-other';

export interface FixData {
  /** Full new contents of the dependency string (without quotes). */
  replacement?: string;
  /**
   * For a constraint brought up to `latestVersion`: the same dependency as a minimum,
   * `>= latestVersion`, when `replacement` keeps another operator (a pin, an upper bound).
   */
  minimum?: string;
  latestVersion?: string;
  /** Did-you-mean mod names. */
  suggestions?: string[];
  canonical?: string;
}

/** How the editor may show a finding besides its severity. */
export type FindingTag = 'unnecessary' | 'deprecated';

export interface Finding {
  code: FindingCode;
  /** The default; the editor layer may override it per code. */
  severity: Severity;
  tags?: FindingTag[];
  message: string;
  start: number;
  end: number;
  /** The mod named by the dependency concerned. */
  dependency?: string;
  data?: FixData;
}

export type ModFacts =
  /** `releases` undefined: the portal's entry had none, so nothing is known about them. */
  | { state: 'found'; releases: Release[] | undefined; deprecated?: boolean; title?: string; owner?: string }
  | { state: 'missing' }
  | { state: 'unknown' };

export interface AnalysisContext {
  facts(name: string): ModFacts;
  /** Names the user asked not to check against the portal. */
  ignored?: ReadonlySet<string>;
  suggest?(name: string): string[];
  /**
   * A mod developed in this workspace under that name (its info.json's `version`, as
   * written): a dependency on it resolves to the local copy before the portal.
   */
  workspaceMod?(name: string): { version: string | undefined } | undefined;
  /** The portal username the user is signed in as, if any. */
  signedInAs?: string;
}

// --- document-level rules (no portal needed) ---

const MANDATORY_FIELDS = ['name', 'version', 'title', 'author'] as const;
const PORTAL_NAME = /^[A-Za-z0-9_-]+$/;

function at(r: Range): { start: number; end: number } {
  return { start: r.start, end: r.end };
}

function valueRangeOf(field: InfoJsonField): Range {
  return field.valueRange ?? field.keyRange;
}

function syntaxFindings(doc: InfoJsonDocument): Finding[] {
  return [
    ...doc.syntaxErrors.map((e): Finding => ({
      code: 'json-syntax',
      severity: 'error',
      message: e.message,
      start: e.start,
      end: e.end,
    })),
    ...doc.comments.map((c): Finding => ({
      code: 'json-comment',
      severity: 'error',
      message: 'Comments are not allowed: Factorio reads info.json as strict JSON',
      ...at(c),
    })),
    ...doc.trailingCommas.map((c): Finding => ({
      code: 'json-trailing-comma',
      severity: 'error',
      message: 'Trailing comma: Factorio reads info.json as strict JSON and rejects it',
      ...at(c),
    })),
  ];
}

/** Why the mod portal would refuse a mod name (empty when it would accept it). */
export function portalNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (!PORTAL_NAME.test(name)) problems.push("only letters, digits, '-' and '_'");
  if (name.length <= 3 || name.length >= 50) problems.push(`4 to 49 characters (it has ${name.length})`);
  return problems;
}

function nameFindings(doc: InfoJsonDocument): Finding[] {
  const field = doc.fields.get('name');
  if (!field || !field.valueNode) return [];
  const range = valueRangeOf(field);
  const name = field.value;
  if (typeof name !== 'string') {
    return [{ code: 'invalid-name', severity: 'error', message: 'name must be a string', ...at(range) }];
  }
  if (name.length > 100) {
    return [{ code: 'invalid-name', severity: 'error', message: `name is ${name.length} characters long; the game accepts at most 100`, ...at(range) }];
  }
  const problems = portalNameProblems(name);
  if (problems.length === 0) return [];
  return [{
    code: 'invalid-name',
    severity: 'warning',
    message: `The mod portal will not accept this name: it needs ${problems.join(' and ')}`,
    ...at(range),
  }];
}

function versionFindings(doc: InfoJsonDocument): Finding[] {
  const field = doc.fields.get('version');
  if (!field || !field.valueNode) return [];
  const v = field.value;
  if (typeof v === 'string' && parseModVersion(v) && v.trim() === v) return [];
  const shown = typeof v === 'string' ? `"${v}"` : 'this value';
  return [{
    code: 'invalid-version',
    severity: 'error',
    message: `version must be "A.B.C" with numbers 0 to 65535 (such as "1.0.0"), not ${shown}`,
    ...at(valueRangeOf(field)),
  }];
}

function factorioVersionFindings(doc: InfoJsonDocument): Finding[] {
  const field = doc.fields.get('factorio_version');
  if (!field || !field.valueNode) return [];
  const v = field.value;
  const parsed = typeof v === 'string' ? parseFactorioVersion(v) : undefined;
  if (parsed?.ok) return [];
  return [{
    code: 'invalid-factorio-version',
    severity: 'error',
    message: parsed?.message ?? 'factorio_version must be a string such as "2.0"',
    ...at(valueRangeOf(field)),
  }];
}

function missingFieldFindings(doc: InfoJsonDocument): Finding[] {
  const root = doc.root;
  if (!root) return [];
  // Point at the opening brace rather than the whole file.
  const range = { start: root.offset, end: root.offset + 1 };
  // The game's own mods are versioned with it: core has no version, and neither base
  // nor core a factorio_version. Their files are read, not fixed, so the fields they
  // lack on purpose are no finding.
  const builtin = doc.modName !== undefined && isBuiltinMod(doc.modName);
  const mandatory = builtin ? MANDATORY_FIELDS.filter((key) => key !== 'version') : MANDATORY_FIELDS;
  const findings: Finding[] = mandatory.filter((key) => !doc.fields.has(key)).map((key) => ({
    code: 'missing-field',
    severity: 'error',
    message: `Missing mandatory field "${key}"`,
    ...range,
  }));
  if (!builtin && !doc.fields.has('factorio_version')) {
    findings.push({
      code: 'missing-field',
      severity: 'warning',
      message: `Missing "factorio_version": the game then assumes "${DEFAULT_FACTORIO_VERSION}"`,
      ...range,
    });
  }
  return findings;
}

function dependencyShapeFindings(doc: InfoJsonDocument): Finding[] {
  const deps = doc.dependencies;
  if (!deps || !deps.field.valueNode) return [];
  if (!deps.isArray) {
    return [{
      code: 'dependency-not-string',
      severity: 'error',
      message: 'dependencies must be an array of strings',
      ...at(deps.range),
    }];
  }
  const findings: Finding[] = [];
  for (const item of deps.items) {
    if (item.value === undefined) {
      findings.push({
        code: 'dependency-not-string',
        severity: 'error',
        message: 'A dependency must be a string such as "base >= 2.0.0"',
        ...at(item.range),
      });
    } else if (item.parsed?.error) {
      const e = item.parsed.error;
      findings.push({
        code: 'malformed-dependency',
        severity: 'error',
        message: capitalize(e.message),
        ...dependencyRange(item, e),
        ...(item.parsed.name ? { dependency: item.parsed.name.text } : {}),
        ...(e.suggestion !== undefined ? { data: { replacement: e.suggestion, canonical: canonicalOf(e.suggestion) } } : {}),
      });
    }
  }
  return findings;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function canonicalOf(text: string): string {
  return formatDependency(parseDependency(text));
}

/** Rules that need no portal: syntax, strict-JSON issues and the fields' own rules. */
export function fieldFindings(doc: InfoJsonDocument): Finding[] {
  return [
    ...syntaxFindings(doc),
    ...nameFindings(doc),
    ...versionFindings(doc),
    ...factorioVersionFindings(doc),
    ...missingFieldFindings(doc),
    ...dependencyShapeFindings(doc),
  ];
}

// --- per-dependency rules ---

interface Dep {
  item: DependencyItem;
  parsed: ParsedDependency;
  name: string;
  kind: DependencyKind;
  /** Document range of the name. */
  nameRange: Range;
  /** Document range of `operator version`, or the name when there is none. */
  constraintRange: Range;
  constraint?: { op: Operator; bound: Version; text: string };
}

interface RuleInput {
  doc: InfoJsonDocument;
  ctx: AnalysisContext;
  /** The mod's factorio_version when it is a valid A.B. */
  factorioVersion: string | undefined;
}

function toDep(item: DependencyItem): Dep | undefined {
  const parsed = item.parsed;
  // A string still missing its closing quote is being typed: judging the half-typed
  // name against the portal would only add noise to the syntax error.
  if (!item.terminated || !parsed || parsed.error || !parsed.name) return undefined;
  const nameRange = dependencyRange(item, parsed.name);
  const op = parsed.operator;
  const version = parsed.version;
  return {
    item,
    parsed,
    name: parsed.name.text,
    kind: parsed.kind,
    nameRange,
    constraintRange: op && version ? dependencyRange(item, { start: op.start, end: version.end }) : nameRange,
    ...(op && version ? { constraint: { op: op.value, bound: version.value, text: `${op.text} ${version.text}` } } : {}),
  };
}

function depFinding(dep: Dep, code: FindingCode, severity: Severity, message: string, range: Range, data?: FixData): Finding {
  return { code, severity, message, ...at(range), dependency: dep.name, ...(data ? { data } : {}) };
}

/** The dependency rewritten as `name >= version`, keeping its prefix. */
function withMinimum(dep: Dep, version: string): string {
  return formatDependency({ kind: dep.kind, name: dep.name, operator: '>=', version });
}

/**
 * The fix data for a constraint brought up to `latest`: the constraint keeps its meaning
 * (`= 0.16.11` becomes `= 0.16.12`, not a minimum), and the `>=` form is offered
 * separately when it differs.
 */
export function updateFixData(dep: { kind: DependencyKind; name: string; op: Operator }, latest: string): FixData {
  const replacement = formatDependency({ kind: dep.kind, name: dep.name, operator: updatedOperator(dep.op), version: latest });
  const minimum = formatDependency({ kind: dep.kind, name: dep.name, operator: '>=', version: latest });
  return { latestVersion: latest, replacement, ...(minimum !== replacement ? { minimum } : {}) };
}

function selfDependencyRule(dep: Dep, input: RuleInput): Finding[] {
  if (input.doc.modName === undefined || dep.name !== input.doc.modName) return [];
  return [depFinding(dep, 'self-dependency', 'error', `The mod "${dep.name}" cannot depend on itself`, dep.nameRange)];
}

// Real, well-maintained mods write `! other >= 1.0` often; Factorio's documentation
// gives that version no meaning but does not say the game drops it either, so this is a
// faded hint, never a warning, and its message claims no more than the documentation.
function versionOnIncompatibleRule(dep: Dep): Finding[] {
  if (dep.kind !== 'incompatible' || !dep.constraint) return [];
  const bare = formatDependency({ kind: 'incompatible', name: dep.name });
  return [{
    ...depFinding(
      dep,
      'version-on-incompatible',
      'hint',
      `Factorio's documentation gives no meaning to a version on an incompatibility ("${dep.constraint.text}"); "${bare}" is the documented form`,
      dep.constraintRange,
      { replacement: bare },
    ),
    tags: ['unnecessary'],
  }];
}

function recommendedRule(dep: Dep, input: RuleInput): Finding[] {
  if (dep.kind !== 'recommended' || !input.factorioVersion || !dep.parsed.prefix) return [];
  const fv = parseVersion(input.factorioVersion);
  if (!fv || compareVersions(fv, { major: 2, minor: 1 }) >= 0) return [];
  return [depFinding(
    dep,
    'recommended-needs-2.1',
    'error',
    `The '+' (recommended) prefix needs factorio_version 2.1 or later; this mod targets ${input.factorioVersion}`,
    dependencyRange(dep.item, dep.parsed.prefix),
    { replacement: formatDependency({ ...dependencySpec(dep.parsed)!, kind: 'optional' }) },
  )];
}

function builtinRules(dep: Dep, input: RuleInput): Finding[] {
  const mod = builtinMod(dep.name);
  const fv = input.factorioVersion;
  if (!mod || !fv) return [];
  if (builtinAvailableIn(dep.name, fv) === false) {
    const severity: Severity = dep.kind === 'incompatible' || dep.kind === 'optional' || dep.kind === 'hidden-optional' ? 'warning' : 'error';
    return [depFinding(
      dep,
      'builtin-unavailable',
      severity,
      `"${dep.name}" (${mod.title}) comes with Factorio ${mod.since} and later; this mod targets ${fv}`,
      dep.nameRange,
    )];
  }
  const range = builtinVersionRange(dep.name, fv);
  const c = dep.constraint;
  if (!range || !c || dep.kind === 'incompatible') return [];
  if (satisfiableWithin(c.op, c.bound, range)) return [];
  return [depFinding(
    dep,
    'builtin-version-mismatch',
    'warning',
    `"${dep.name}" is versioned with the game: for factorio_version ${fv} it is ${formatVersionRange(range)}, so "${c.text}" can never hold`,
    dep.constraintRange,
    { replacement: withMinimum(dep, formatVersion(range.min)) },
  )];
}

/**
 * A dependency on a mod of this workspace is judged against the local copy, not the
 * portal: the author's local copy is what they test with, and what they will publish
 * next. Undefined when the workspace has no such mod (the portal rules apply then).
 */
function workspaceRules(dep: Dep, input: RuleInput): Finding[] | undefined {
  if (isBuiltinMod(dep.name)) return undefined;
  const local = input.ctx.workspaceMod?.(dep.name);
  if (!local) return undefined;
  const c = dep.constraint;
  // An incompatibility holds whatever the version; a local version that doesn't parse
  // is reported in its own info.json.
  const version = local.version !== undefined ? parseModVersion(local.version) : undefined;
  if (!c || dep.kind === 'incompatible' || !version || satisfies(version, c.op, c.bound)) return [];
  return [depFinding(
    dep,
    'workspace-version-mismatch',
    isRequiredKind(dep.kind) ? 'error' : 'warning',
    `"${dep.name}" in this workspace is version ${local.version}, which "${c.text}" excludes`,
    dep.constraintRange,
    { latestVersion: local.version, ...updateFixData({ kind: dep.kind, name: dep.name, op: c.op }, local.version!) },
  )];
}

function portalRules(dep: Dep, input: RuleInput): Finding[] {
  const { ctx } = input;
  if (isBuiltinMod(dep.name) || ctx.ignored?.has(dep.name)) return [];
  const facts = ctx.facts(dep.name);
  if (facts.state === 'unknown') return [];
  if (facts.state === 'missing') {
    const suggestions = (ctx.suggest?.(dep.name) ?? []).filter((s) => s !== dep.name).slice(0, 5);
    const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    return [depFinding(
      dep,
      'unknown-mod',
      isRequiredKind(dep.kind) ? 'error' : 'warning',
      `No mod named "${dep.name}" on the mod portal${hint}`,
      dep.nameRange,
      suggestions.length > 0 ? { suggestions } : undefined,
    )];
  }

  const findings: Finding[] = [];
  const label = facts.title ? `"${dep.name}" (${facts.title})` : `"${dep.name}"`;
  if (facts.deprecated) {
    findings.push({ ...depFinding(dep, 'deprecated-mod', 'warning', `${label} is deprecated on the mod portal`, dep.nameRange), tags: ['deprecated'] });
  }
  const fv = input.factorioVersion;
  // An incompatibility holds whatever versions exist, and without a valid
  // factorio_version compatibility would be a guess.
  if (!fv || dep.kind === 'incompatible' || facts.releases === undefined) return findings;

  const compatible = compatibleReleases(facts.releases, fv);
  const latest = compatible[0];
  if (!latest) {
    const newest = latestRelease(facts.releases);
    const newestNote = newest ? ` (its latest, ${newest.version}, is for Factorio ${newest.info_json?.factorio_version ?? '?'})` : '';
    findings.push(depFinding(
      dep,
      'no-compatible-release',
      isRequiredKind(dep.kind) ? 'error' : 'warning',
      `${label} has no release for Factorio ${fv}${newestNote}`,
      dep.nameRange,
    ));
    return findings;
  }

  const c = dep.constraint;
  if (!c) return findings;
  const data = updateFixData({ kind: dep.kind, name: dep.name, op: c.op }, latest.version);
  const latestV = parseVersion(latest.version)!;
  if (!newestSatisfying(compatible, [c])) {
    findings.push(depFinding(
      dep,
      'unsatisfiable-constraint',
      'error',
      `No release of "${dep.name}" for Factorio ${fv} matches "${c.text}"; the latest compatible is ${latest.version}`,
      dep.constraintRange,
      data,
    ));
  } else if (!satisfies(latestV, c.op, c.bound)) {
    findings.push(depFinding(
      dep,
      'outdated-constraint',
      'warning',
      `"${c.text}" excludes the latest compatible release of "${dep.name}", ${latest.version}`,
      dep.constraintRange,
      data,
    ));
  } else if ((c.op === '>=' || c.op === '>') && compareVersions(c.bound, latestV) < 0) {
    findings.push(depFinding(
      dep,
      'outdated-minimum',
      'hint',
      `"${dep.name}": the latest compatible is ${latest.version}`,
      dep.constraintRange,
      data,
    ));
  }
  return findings;
}

function dependencyFindings(doc: InfoJsonDocument, ctx: AnalysisContext): Finding[] {
  const items = doc.dependencies?.isArray ? doc.dependencies.items : [];
  const fvResult = doc.factorioVersion !== undefined ? parseFactorioVersion(doc.factorioVersion) : undefined;
  const input: RuleInput = { doc, ctx, factorioVersion: fvResult?.ok ? fvResult.text : undefined };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const dep = toDep(item);
    if (!dep) continue;
    if (seen.has(dep.name)) {
      findings.push(depFinding(dep, 'duplicate-dependency', 'warning', `"${dep.name}" is already listed above`, item.range));
      continue;
    }
    seen.add(dep.name);
    const self = selfDependencyRule(dep, input);
    if (self.length > 0) {
      findings.push(...self);
      continue;
    }
    findings.push(
      ...versionOnIncompatibleRule(dep),
      ...recommendedRule(dep, input),
      ...builtinRules(dep, input),
      ...(workspaceRules(dep, input) ?? portalRules(dep, input)),
    );
  }
  return findings;
}

/**
 * The document's own mod against what the portal has under its name: a version already
 * published (the portal refuses a second upload of it), a name someone else owns.
 */
function ownModFindings(doc: InfoJsonDocument, ctx: AnalysisContext): Finding[] {
  const name = doc.modName;
  if (name === undefined || name === '' || isBuiltinMod(name) || ctx.ignored?.has(name)) return [];
  const facts = ctx.facts(name);
  if (facts.state !== 'found') return [];
  const findings: Finding[] = [];
  const versionField = doc.fields.get('version');
  const local = doc.modVersion !== undefined ? parseModVersion(doc.modVersion) : undefined;
  // Releases unknown (an entry without them): nothing to compare with.
  const published = facts.releases ? latestRelease(facts.releases) : undefined;
  const publishedVersion = published ? parseVersion(published.version) : undefined;
  if (versionField?.valueRange && local && published && publishedVersion && compareVersions(local, publishedVersion) <= 0) {
    // The very version on the portal is the clearer news; otherwise the newest says how far to bump.
    const same = doc.modVersion !== published.version && facts.releases!.some((r) => {
      const v = parseVersion(r.version);
      return v !== undefined && compareVersions(v, local) === 0;
    });
    findings.push({
      code: 'already-published',
      severity: 'hint',
      message: same ? `${doc.modVersion} is already published (newest ${published.version})` : `${published.version} is already published; bump before uploading`,
      ...at(versionField.valueRange),
      data: { latestVersion: published.version },
    });
  }
  const nameField = doc.fields.get('name');
  const owner = facts.owner;
  if (nameField?.valueRange && ctx.signedInAs && owner && owner.toLowerCase() !== ctx.signedInAs.toLowerCase()) {
    findings.push({
      code: 'name-owned-by-other',
      severity: 'information',
      message: `This name belongs to ${owner} on the portal: it will refuse your upload`,
      ...at(nameField.valueRange),
    });
  }
  return findings;
}

/** Every finding for the document, in document order. */
export function analyzeDocument(doc: InfoJsonDocument, ctx: AnalysisContext): Finding[] {
  return [...fieldFindings(doc), ...ownModFindings(doc, ctx), ...dependencyFindings(doc, ctx)].sort((a, b) => a.start - b.start || a.end - b.end);
}
