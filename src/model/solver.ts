// The set of mods to install for an info.json: its required dependencies (`~` included)
// and the optional ones the user chose, transitively, one release each, for its
// factorio_version, such that the game loads every one of them.
//
// Algorithm. A depth-first search over the mods in the order they are first required;
// for each mod its candidates in order of preference (the installed version when there
// is one, then the portal's releases that load in the Factorio version, newest first;
// a workspace mod, a built-in mod and the root are fixed). A candidate is refused when
// a version constraint of the chosen set excludes it (required and, since a present
// optional dependency of a non-matching version disables its declarer, optional ones
// too), when an incompatibility is declared either way, or when it closes a load-order
// cycle. Failures carry the set of mods that caused them, so the search jumps back to
// the most recent mod responsible rather than retrying every choice in between
// (conflict-directed backjumping).
//
// Records are fetched lazily, in rounds: a mod not yet fetched stands for "any version,
// no dependencies", the most permissive guess. A round searches; if the solution uses
// mods not fetched yet, they are fetched (at most 4 requests at once, each mod once) and
// the search runs again. A solution that uses only fetched mods is final, and it is the
// one a search over every record would find (a guess can only make a branch succeed
// that would fail, never the reverse); a failure with guesses is a real failure, since
// the real records can only add constraints. Rounds wait for all their requests, so the
// result never depends on which answer arrives first.
//
// Explanation: the facts (which release requires, forbids or constrains what) of every
// candidate the failing search looked at make an unsatisfiable set; each fact is then
// dropped in turn when the rest is still unsatisfiable (deletion-based minimisation, the
// set shrunk further to what each re-check used). What remains, with what the portal
// has of each constrained mod, is the explanation.
//
// Decisions: `~` does not order loading, so a cycle through a `~` edge is allowed (the
// prefix exists for exactly that); required and present optional dependencies order
// loading, and a cycle of those is refused. `+` (recommended) and optional dependencies
// not chosen are never pulled in. An incompatibility `! X >= 1.0` is treated as
// incompatible with every version of X: the game's documentation does not say that it
// reads the version, and a plan the game might refuse is worse than a refusal.
// A malformed dependency string is skipped (the analysis reports it).
//
// Why not a library: npm has no maintained PubGrub or version solver for JavaScript;
// `logic-solver` (a SAT solver) would need every record encoded up front, which defeats
// lazy fetching, and it cannot name the facts of a conflict in terms of mods and versions.
//
// Limits: every step (a candidate tried) counts against a budget, so a hostile graph
// ends with a "gave up" failure instead of hanging; the search is complete within it.
// "Newest" is lexicographic in the order mods are first required: an earlier mod keeps
// its newest release at the cost of a later one, and no overall optimum is sought.
// Built-in mods are each checked against the game's version range, not against one
// shared game version. A workspace mod is the only candidate for its name; a mod that is
// installed but not on the portal is kept as it is, its dependencies unknown. The
// minimal explanation is minimal for the order facts are tried in, not the smallest
// possible, and minimisation stops early if it runs out of its own budget.

import { Limiter } from '../util/limit';
import { builtinAvailableIn, builtinMod, builtinVersionRange, isBuiltinMod } from './builtins';
import { dependencySpec, formatDependency, parseDependency, type DependencyKind } from './dependency';
import { compareVersions, formatVersion, parseFactorioVersion, parseVersion, releaseMatchesFactorioVersion, type Operator, type Version } from './version';

/** One release as the solver needs it; `payload` is handed back untouched for the chosen one. */
export interface SolverRelease<P = unknown> {
  version: string;
  /** The release's info.json factorio_version. */
  factorioVersion: string;
  /** From the release's info.json (`/full`). */
  dependencies: readonly string[];
  payload: P;
}

export interface SolverSource<P = unknown> {
  /** Every release of a mod; undefined when the portal does not have the mod. Throws when the portal fails. */
  releases(name: string, signal?: AbortSignal): Promise<readonly SolverRelease<P>[] | undefined>;
}

export interface SolverWorkspaceMod {
  name: string;
  version: string;
  dependencies: readonly string[];
}

export interface SolverInstalledMod {
  name: string;
  version: string;
}

export interface SolveInput<P = unknown> {
  /** The root mod's own name and version, when known: dependencies on it are checked against them. */
  rootName?: string;
  rootVersion?: string;
  /** The root's factorio_version, `A.B`. */
  factorioVersion: string;
  /** The root's dependency strings as written. */
  dependencies: readonly string[];
  /** Names of the root's optional dependencies (`?`, `(?)`, `+`) the user chose to include. */
  chosenOptional?: readonly string[];
  source: SolverSource<P>;
  /** Mods of the workspace: used as they are, never fetched. */
  workspace?: readonly SolverWorkspaceMod[];
  /** Mods in the mods folder: kept when they satisfy, else candidates for an update. */
  installed?: readonly SolverInstalledMod[];
  /** Candidates tried, over every round, before giving up. Default 200,000. */
  maxSteps?: number;
  /** Default 4. */
  maxConcurrentRequests?: number;
  signal?: AbortSignal;
}

export type SolvedOrigin = 'portal' | 'installed' | 'workspace' | 'builtin';

export interface SolvedReason {
  /** The declaring mod; undefined for the root. */
  mod?: string;
  /** The declaring mod's chosen version (the game's A.B for a built-in mod). */
  version?: string;
  /** The dependency string as written. */
  dependency: string;
}

export interface SolvedMod<P = unknown> {
  name: string;
  /** The chosen version; for a built-in mod the game's `A.B`. */
  version: string;
  origin: SolvedOrigin;
  /** The portal release: with origin 'portal', and with 'installed' when the portal has that version. */
  release?: SolverRelease<P>;
  /** With origin 'portal': the installed version this replaces, if any. */
  installedVersion?: string;
  /** The required (or chosen optional) dependencies that put it in the set. */
  requiredBy: SolvedReason[];
}

export interface SolveStats {
  /** Candidates tried, over every round. */
  steps: number;
  /** Candidates tried by the last round alone. */
  lastRoundSteps: number;
  rounds: number;
  /** Calls to the source. */
  requests: number;
  /** Most source calls in flight at once. */
  maxInFlight: number;
  /** Re-checks made while minimising an explanation. */
  explanationChecks: number;
}

export type FactVerb = 'requires' | 'forbids' | 'constrains';

export interface ExplanationFact {
  /** The declarer; undefined for the root. */
  mod?: string;
  /** The declarer's versions this holds for (one line may cover several releases). */
  versions: string[];
  verb: FactVerb;
  /** The dependency string in canonical form. */
  dependency: string;
  target: string;
  text: string;
}

export interface Explanation {
  facts: ExplanationFact[];
  /** What the solver could choose from, for the mods the facts constrain. */
  notes: string[];
  /** A load-order cycle among the facts, as mod names with the first repeated at the end. */
  cycle?: string[];
  /** Every line, joined with `; `. */
  text: string;
}

export type SolveFailure =
  | { kind: 'conflict'; message: string; explanation: Explanation }
  | { kind: 'source'; message: string; mod: string; error: unknown }
  | { kind: 'budget'; message: string; steps: number }
  | { kind: 'cancelled'; message: string }
  | { kind: 'invalid'; message: string };

export type SolveResult<P = unknown> =
  | { ok: true; mods: SolvedMod<P>[]; stats: SolveStats }
  | { ok: false; failure: SolveFailure; stats: SolveStats };

export const DEFAULT_SOLVER_STEPS = 200_000;
const EXPLAIN_STEPS = 50_000;

// Versions as integers (A·2³² + B·2¹⁶ + C, below 2⁵³), so constraints are intervals and
// `> 1.2.3` is `>= 1.2.4`; a missing patch counts as 0, as compareVersions does.
const B16 = 65536;
const keyOf = (v: Version): number => (v.major * B16 + v.minor) * B16 + (v.patch ?? 0);
const MAX_KEY = keyOf({ major: 65535, minor: 65535, patch: 65535 });

function interval(op: Operator | undefined, v: Version | undefined): [number, number] {
  if (!op || !v) return [0, MAX_KEY];
  const k = keyOf(v);
  switch (op) {
    case '<':
      return [0, k - 1];
    case '<=':
      return [0, k];
    case '=':
      return [k, k];
    case '>=':
      return [k, MAX_KEY];
    case '>':
      return [k + 1, MAX_KEY];
  }
}

/** The root's node name when the root has no name of its own. */
const ROOT = '\u0000root';

type FactKind = 'requires' | 'forbids' | 'optional';

interface Fact {
  owner: string;
  /** Display version of the owner's candidate; undefined for the root. */
  ownerVersion?: string;
  ownerKey: number;
  kind: FactKind;
  target: string;
  lo: number;
  hi: number;
  /** Orders loading: a cycle of such edges is refused. */
  orders: boolean;
  /** As written. */
  text: string;
  canonical: string;
  /** A root optional dependency the user chose. */
  chosen: boolean;
  /** Position in the declarer's list, for a stable order. */
  index: number;
}

type CandidateOrigin = SolvedOrigin | 'root' | 'guess';

interface Candidate<P> {
  lo: number;
  hi: number;
  version: string;
  origin: CandidateOrigin;
  release?: SolverRelease<P>;
  installedVersion?: string;
  facts: Fact[];
}

type DomainKind = 'portal' | 'installed-only' | 'builtin' | 'workspace' | 'root' | 'guess' | 'missing' | 'no-release' | 'not-in-game';

interface Domain<P> {
  name: string;
  kind: DomainKind;
  candidates: Candidate<P>[];
  /** Versions loading in the Factorio version, newest first (for notes). */
  available: string[];
  installed?: string;
}

function kindOfFact(kind: DependencyKind): FactKind | undefined {
  switch (kind) {
    case 'required':
    case 'no-load-order':
      return 'requires';
    case 'incompatible':
      return 'forbids';
    case 'optional':
    case 'hidden-optional':
      return 'optional';
    case 'recommended':
      return undefined;
  }
}

/** Everything known: fixed mods and the fetched records, turned into candidates once. */
class Universe<P> {
  private readonly domains = new Map<string, Domain<P>>();
  private readonly records = new Map<string, readonly SolverRelease<P>[] | undefined>();
  private readonly workspace: Map<string, SolverWorkspaceMod>;
  private readonly installed: Map<string, SolverInstalledMod>;
  readonly rootNode: string;
  readonly rootCandidate: Candidate<P>;
  readonly rootLabel: string;

  constructor(private readonly input: SolveInput<P>) {
    this.workspace = new Map((input.workspace ?? []).map((m) => [m.name, m]));
    this.installed = new Map((input.installed ?? []).map((m) => [m.name, m]));
    this.rootNode = input.rootName || ROOT;
    this.rootLabel = input.rootName || 'this mod';
    const rv = input.rootVersion !== undefined ? parseVersion(input.rootVersion) : undefined;
    const chosen = new Set(input.chosenOptional ?? []);
    this.rootCandidate = {
      lo: rv ? keyOf(rv) : 0,
      hi: rv ? keyOf(rv) : MAX_KEY,
      version: input.rootVersion ?? '',
      origin: 'root',
      facts: [],
    };
    this.rootCandidate.facts = this.factsOf(this.rootNode, undefined, 0, input.dependencies, chosen);
  }

  get factorioVersion(): string {
    return this.input.factorioVersion;
  }

  /** Needs a record from the source before it can be more than a guess. */
  needsRecord(name: string): boolean {
    return !this.records.has(name) && name !== this.rootNode && !isBuiltinMod(name) && !this.workspace.has(name);
  }

  addRecord(name: string, releases: readonly SolverRelease<P>[] | undefined): void {
    this.records.set(name, releases);
    this.domains.delete(name);
  }

  private factsOf(owner: string, ownerVersion: string | undefined, ownerKey: number, dependencies: readonly string[], chosen?: ReadonlySet<string>): Fact[] {
    const facts: Fact[] = [];
    dependencies.forEach((text, index) => {
      const spec = dependencySpec(parseDependency(text));
      if (!spec || spec.name === owner) return;
      const isChosen = chosen !== undefined && spec.kind !== 'required' && spec.kind !== 'no-load-order' && spec.kind !== 'incompatible' && chosen.has(spec.name);
      const kind = isChosen ? 'requires' : kindOfFact(spec.kind);
      if (!kind) return;
      const [lo, hi] = kind === 'forbids' ? [0, MAX_KEY] : interval(spec.operator, spec.version !== undefined ? parseVersion(spec.version) : undefined);
      facts.push({
        owner,
        ...(ownerVersion !== undefined ? { ownerVersion } : {}),
        ownerKey,
        kind,
        target: spec.name === this.input.rootName ? this.rootNode : spec.name,
        lo,
        hi,
        orders: spec.kind !== 'no-load-order' && kind !== 'forbids',
        text,
        canonical: formatDependency(spec),
        chosen: isChosen,
        index,
      });
    });
    return facts;
  }

  private exact(name: string, version: string, origin: CandidateOrigin, dependencies: readonly string[], release?: SolverRelease<P>): Candidate<P> | undefined {
    const v = parseVersion(version);
    if (!v) return undefined;
    const k = keyOf(v);
    // Most releases are never looked at: their dependencies are parsed on first use.
    let facts: Fact[] | undefined;
    const make = (): Fact[] => this.factsOf(name, version, k, dependencies);
    const c: Candidate<P> = {
      lo: k,
      hi: k,
      version,
      origin,
      get facts(): Fact[] {
        return (facts ??= make());
      },
    };
    if (release) c.release = release;
    return c;
  }

  domain(name: string): Domain<P> {
    let d = this.domains.get(name);
    if (!d) {
      d = this.build(name);
      // Guesses are rebuilt once the record arrives; everything else is final.
      this.domains.set(name, d);
    }
    return d;
  }

  private build(name: string): Domain<P> {
    const fv = this.input.factorioVersion;
    if (name === this.rootNode) return { name, kind: 'root', candidates: [this.rootCandidate], available: [] };
    if (isBuiltinMod(name)) {
      const range = builtinVersionRange(name, fv);
      if (builtinAvailableIn(name, fv) !== true || !range) return { name, kind: 'not-in-game', candidates: [], available: [] };
      const v = parseVersion(fv)!;
      const label = formatVersion({ major: v.major, minor: v.minor });
      const deps = builtinMod(name)?.dependencies[label] ?? [];
      const lo = keyOf(range.min);
      const c: Candidate<P> = { lo, hi: keyOf(range.max), version: label, origin: 'builtin', facts: this.factsOf(name, label, lo, deps) };
      return { name, kind: 'builtin', candidates: [c], available: [label] };
    }
    const local = this.workspace.get(name);
    if (local) {
      const c = this.exact(name, local.version, 'workspace', local.dependencies);
      return { name, kind: 'workspace', candidates: c ? [c] : [], available: [local.version] };
    }
    const installed = this.installed.get(name);
    if (!this.records.has(name)) {
      const guess: Candidate<P> = { lo: 0, hi: MAX_KEY, version: '', origin: 'guess', facts: [] };
      return { name, kind: 'guess', candidates: [guess], available: [] };
    }
    const releases = this.records.get(name);
    const installedOnly = (kind: DomainKind): Domain<P> => {
      const c = installed ? this.exact(name, installed.version, 'installed', []) : undefined;
      if (c && installed) return { name, kind: 'installed-only', candidates: [c], available: [], installed: installed.version };
      return { name, kind, candidates: [], available: [] };
    };
    if (!releases) return installedOnly('missing');
    const loading = releases
      .map((release) => ({ release, v: parseVersion(release.version) }))
      .filter((r): r is { release: SolverRelease<P>; v: Version } => r.v !== undefined && releaseMatchesFactorioVersion(r.release.factorioVersion, fv))
      .sort((a, b) => compareVersions(b.v, a.v));
    const candidates: Candidate<P>[] = [];
    const installedV = installed ? parseVersion(installed.version) : undefined;
    const installedIndex = installedV ? loading.findIndex((r) => compareVersions(r.v, installedV) === 0) : -1;
    if (installed && installedIndex >= 0) {
      const r = loading[installedIndex]!;
      candidates.push(this.exact(name, r.release.version, 'installed', r.release.dependencies, r.release)!);
    }
    for (let i = 0; i < loading.length; i++) {
      if (i === installedIndex) continue;
      const r = loading[i]!;
      const c = this.exact(name, r.release.version, 'portal', r.release.dependencies, r.release)!;
      if (installed) c.installedVersion = installed.version;
      candidates.push(c);
    }
    if (candidates.length === 0) return installedOnly('no-release');
    const d: Domain<P> = { name, kind: 'portal', candidates, available: loading.map((r) => r.release.version) };
    if (installed) d.installed = installed.version;
    return d;
  }

  /** Every fact built so far (for the fallback of the explanation). */
  allFacts(): Fact[] {
    const out = [...this.rootCandidate.facts];
    for (const d of this.domains.values()) for (const c of d.candidates) out.push(...c.facts);
    return out;
  }
}

class BudgetExceeded extends Error {}

interface Assigned<P> {
  candidate: Candidate<P>;
  /** 0 for the root, then 1, 2, … in the order of the choices. */
  order: number;
}

type Outcome = true | Set<string>;

/** One synchronous search over what the universe knows now. */
class Search<P> {
  steps = 0;
  readonly assigned = new Map<string, Assigned<P>>();
  /** Active facts (of assigned candidates) by target. */
  readonly incoming = new Map<string, Fact[]>();
  private readonly need = new Map<string, number>();
  private readonly agenda: string[] = [];
  private readonly inAgenda = new Set<string>();
  /** Facts of every candidate looked at: an unsatisfiable set when the search fails. */
  readonly looked = new Set<Fact>();

  constructor(
    private readonly universe: Universe<P>,
    private readonly budget: number,
    private readonly enabled?: ReadonlySet<Fact>,
    /** Mods whose version constraints are ignored (to test whether a note matters). */
    private readonly relaxed?: ReadonlySet<string>,
  ) {}

  private on(f: Fact): boolean {
    return this.enabled === undefined || this.enabled.has(f);
  }

  run(): boolean {
    for (const f of this.universe.rootCandidate.facts) if (this.on(f)) this.looked.add(f);
    this.assign(this.universe.rootNode, this.universe.rootCandidate);
    return this.decide() === true;
  }

  private assign(name: string, c: Candidate<P>): void {
    this.assigned.set(name, { candidate: c, order: this.assigned.size });
    for (const f of c.facts) {
      if (!this.on(f)) continue;
      let list = this.incoming.get(f.target);
      if (!list) this.incoming.set(f.target, (list = []));
      list.push(f);
      if (f.kind === 'requires') {
        this.need.set(f.target, (this.need.get(f.target) ?? 0) + 1);
        if (!this.inAgenda.has(f.target)) {
          this.inAgenda.add(f.target);
          this.agenda.push(f.target);
        }
      }
    }
  }

  private unassign(name: string, c: Candidate<P>): void {
    this.assigned.delete(name);
    for (let i = c.facts.length - 1; i >= 0; i--) {
      const f = c.facts[i]!;
      if (!this.on(f)) continue;
      this.incoming.get(f.target)!.pop();
      if (f.kind === 'requires') this.need.set(f.target, this.need.get(f.target)! - 1);
    }
  }

  private next(): string | undefined {
    for (const name of this.agenda) if ((this.need.get(name) ?? 0) > 0 && !this.assigned.has(name)) return name;
    return undefined;
  }

  /** The assigned mods whose choices put `name` in the set. */
  private requirers(name: string): string[] {
    return (this.incoming.get(name) ?? []).filter((f) => f.kind === 'requires').map((f) => f.owner);
  }

  private decide(): Outcome {
    const name = this.next();
    if (name === undefined) return true;
    const conflict = new Set<string>();
    for (const c of this.universe.domain(name).candidates) {
      if (++this.steps > this.budget) throw new BudgetExceeded();
      for (const f of c.facts) if (this.on(f)) this.looked.add(f);
      const culprits = this.check(name, c);
      if (culprits) {
        for (const m of culprits) conflict.add(m);
        continue;
      }
      this.assign(name, c);
      const r = this.decide();
      if (r === true) return true;
      this.unassign(name, c);
      // Nothing about this mod's choice caused the failure: no other choice can mend it.
      if (!r.has(name)) return r;
      for (const m of r) if (m !== name) conflict.add(m);
    }
    // The failure also needs this mod in the set, unless a mod in the conflict requires it anyway.
    const requirers = this.requirers(name);
    if (!requirers.some((m) => m === this.universe.rootNode || conflict.has(m))) for (const m of requirers) conflict.add(m);
    conflict.delete(this.universe.rootNode);
    return conflict;
  }

  /** The assigned mods that make `c` impossible for `name`, or undefined when it fits. */
  private check(name: string, c: Candidate<P>): Set<string> | undefined {
    // Each reason alone refuses the candidate; the one that names the earliest choices
    // is kept, so the search jumps back as far as it soundly can.
    let best: string[] | undefined;
    let bestLatest = Infinity;
    const reason = (mods: string[]): void => {
      const latest = Math.max(...mods.map((m) => this.assigned.get(m)?.order ?? 0));
      if (latest < bestLatest) {
        best = mods;
        bestLatest = latest;
      }
    };
    let lo = c.lo;
    let hi = c.hi;
    const loose = this.relaxed?.has(name) === true;
    const constraining: string[] = [];
    for (const f of this.incoming.get(name) ?? []) {
      if (f.kind === 'forbids') {
        reason([f.owner]);
        continue;
      }
      if (loose || (f.lo === 0 && f.hi === MAX_KEY)) continue;
      if (f.hi < c.lo || f.lo > c.hi) reason([f.owner]);
      constraining.push(f.owner);
      lo = Math.max(lo, f.lo);
      hi = Math.min(hi, f.hi);
    }
    // Constraints that each fit a range (a built-in mod) but not all together.
    if (!best && lo > hi) reason(constraining);
    let ordersIntoSet = false;
    for (const f of c.facts) {
      if (!this.on(f)) continue;
      const other = this.assigned.get(f.target);
      if (!other) continue;
      if (f.kind === 'forbids') reason([f.target]);
      else if (this.relaxed?.has(f.target) !== true && (f.hi < other.candidate.lo || f.lo > other.candidate.hi)) reason([f.target]);
      if (f.orders) ordersIntoSet = true;
    }
    if (!best && ordersIntoSet && (this.incoming.get(name) ?? []).some((f) => f.orders)) {
      const cycle = this.cycleThrough(name, c);
      if (cycle) reason(cycle.filter((m) => m !== name));
    }
    if (!best) return undefined;
    // The root is fixed: a reason that names only the root refuses the candidate whatever else is chosen.
    return new Set(best.filter((m) => m !== this.universe.rootNode));
  }

  /** Targets of `c`'s load-ordering edges within the set, `adding` counted in. */
  private orderingTargets(c: Candidate<P>, adding: string): string[] {
    const out: string[] = [];
    for (const f of c.facts) if (f.orders && this.on(f) && (this.assigned.has(f.target) || f.target === adding)) out.push(f.target);
    return out;
  }

  /** A path name → … → name of load-ordering edges once `c` is chosen, or undefined. */
  private cycleThrough(name: string, c: Candidate<P>): string[] | undefined {
    const parent = new Map<string, string>();
    const stack: string[] = [];
    for (const t of this.orderingTargets(c, name)) {
      if (!parent.has(t)) {
        parent.set(t, name);
        stack.push(t);
      }
    }
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === name) {
        const path = [name];
        let at = parent.get(name)!;
        while (at !== name) {
          path.push(at);
          at = parent.get(at)!;
        }
        return path;
      }
      const a = this.assigned.get(node);
      if (!a) continue;
      for (const t of this.orderingTargets(a.candidate, name)) {
        if (!parent.has(t)) {
          parent.set(t, node);
          stack.push(t);
        }
      }
    }
    return undefined;
  }
}

/** Oldest first; a long run is shortened to its ends. */
function listVersions(versions: readonly string[]): string {
  if (versions.length <= 1) return versions.join('');
  if (versions.length > 4) return `${versions[0]} to ${versions[versions.length - 1]} (${versions.length} releases)`;
  return `${versions.slice(0, -1).join(', ')} and ${versions[versions.length - 1]}`;
}

function summariseAvailable(versions: readonly string[]): string {
  // Newest first in the domain; oldest first reads better.
  const asc = [...versions].reverse();
  if (asc.length <= 5) return asc.join(', ');
  return `${asc[0]} to ${asc[asc.length - 1]} (${asc.length} releases)`;
}

function explain<P>(universe: Universe<P>, kept: readonly Fact[], cycle: string[] | undefined, recheck: Rechecker<P>): Explanation {
  const keptSet = new Set(kept);
  const stillUnsat = (relax: string): boolean => recheck.unsat(keptSet, new Set([relax])) !== undefined;
  const ordered = [...kept].sort(
    (a, b) =>
      Number(a.owner !== universe.rootNode) - Number(b.owner !== universe.rootNode) ||
      (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0) ||
      a.index - b.index ||
      a.ownerKey - b.ownerKey,
  );
  // One line per declarer and dependency, listing the declarer's versions it holds for.
  const groups = new Map<string, Fact[]>();
  for (const f of ordered) {
    const key = `${f.owner}\u0000${f.kind}\u0000${f.canonical}\u0000${f.chosen}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const facts: ExplanationFact[] = [];
  for (const list of groups.values()) {
    const f = list[0]!;
    const isRoot = f.owner === universe.rootNode;
    const versions = isRoot ? [] : list.map((x) => x.ownerVersion ?? '').filter((v) => v !== '');
    const who = isRoot ? universe.rootLabel : versions.length > 0 ? `${f.owner} ${listVersions(versions)}` : f.owner;
    const many = versions.length > 1;
    const verb: FactVerb = f.kind === 'requires' ? 'requires' : f.kind === 'forbids' ? 'forbids' : 'constrains';
    let text: string;
    if (f.chosen) text = `${who} ${many ? 'declare' : 'declares'} ${f.canonical}, chosen to be installed`;
    else if (f.kind === 'requires') text = `${who} ${many ? 'require' : 'requires'} ${f.canonical}`;
    else if (f.kind === 'forbids') text = `${who} ${many ? 'declare' : 'declares'} ${f.canonical}`;
    else text = `${who} ${many ? 'declare' : 'declares'} ${f.canonical} (a present ${f.target} of another version disables ${many ? 'them' : 'it'})`;
    facts.push({
      ...(isRoot ? {} : { mod: f.owner }),
      versions,
      verb,
      dependency: f.canonical,
      target: f.target === universe.rootNode ? universe.rootLabel : f.target,
      text,
    });
  }
  // What there was to choose from, for mods with a version constraint or nothing at all.
  const notes: string[] = [];
  const targets = new Set<string>();
  for (const f of ordered) if (f.kind !== 'forbids' && f.target !== universe.rootNode) targets.add(f.target);
  const fv = universe.factorioVersion;
  for (const t of [...targets].sort()) {
    // A version note only where the versions matter: the facts stay impossible when
    // every version of the mod is allowed.
    const constrained = ordered.some((f) => f.target === t && f.kind !== 'forbids' && (f.lo > 0 || f.hi < MAX_KEY)) && !stillUnsat(t);
    const d = universe.domain(t);
    switch (d.kind) {
      case 'missing':
        notes.push(`${t} is not on the mod portal`);
        break;
      case 'no-release':
        notes.push(`${t} has no release for Factorio ${fv}`);
        break;
      case 'not-in-game':
        notes.push(`${t} is not part of Factorio ${fv}`);
        break;
      case 'portal':
        if (constrained) {
          notes.push(`${t} has ${summariseAvailable(d.available)} for Factorio ${fv}` + (d.installed ? ` (${d.installed} installed)` : ''));
        }
        break;
      case 'installed-only':
        if (constrained) notes.push(`${t} is only installed, at ${d.installed}`);
        break;
      case 'workspace':
        if (d.candidates.length === 0) notes.push(`${t}'s version in the workspace, "${d.available[0]}", is not a version`);
        else if (constrained) notes.push(`${t} is the workspace's ${d.available[0]}`);
        break;
      case 'builtin':
        if (constrained) notes.push(`${t} comes with the game: ${d.available[0]}.x`);
        break;
      case 'root':
      case 'guess':
        break;
    }
  }
  const lines = facts.map((f) => f.text);
  if (cycle) lines.push(`${cycle.join(' → ')} is a load-order cycle, which the game refuses`);
  lines.push(...notes);
  return { facts, notes, ...(cycle ? { cycle } : {}), text: lines.join('; ') };
}

/** A load-order cycle among the kept facts, as names with the first repeated at the end. */
function cycleAmong<P>(universe: Universe<P>, kept: readonly Fact[]): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const f of kept) {
    if (!f.orders) continue;
    const list = edges.get(f.owner) ?? [];
    if (!list.includes(f.target)) list.push(f.target);
    edges.set(f.owner, list);
  }
  const label = (n: string): string => (n === universe.rootNode ? universe.rootLabel : n);
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 1);
    path.push(n);
    for (const t of edges.get(n) ?? []) {
      if (state.get(t) === 1) return [...path.slice(path.indexOf(t)), t].map(label);
      if (state.get(t) === undefined) {
        const found = visit(t);
        if (found) return found;
      }
    }
    path.pop();
    state.set(n, 2);
    return undefined;
  };
  const starts = [...edges.keys()].sort((a, b) => Number(b === universe.rootNode) - Number(a === universe.rootNode) || (a < b ? -1 : a > b ? 1 : 0));
  for (const n of starts) {
    if (state.get(n) === undefined) {
      const found = visit(n);
      if (found) return found;
    }
  }
  return undefined;
}

/** Shrinks an unsatisfiable fact set by dropping each fact the rest does without. */
/**
 * Re-checks for the explanation, all within one budget. Undefined when the facts are
 * satisfiable or the budget ran out: either way the fact in question is kept, which
 * leaves the explanation true, only longer.
 */
class Rechecker<P> {
  private left = EXPLAIN_STEPS;

  constructor(
    private readonly universe: Universe<P>,
    private readonly stats: SolveStats,
  ) {}

  /** The facts the failing search looked at, when `facts` is still impossible. */
  unsat(facts: ReadonlySet<Fact>, relaxed?: ReadonlySet<string>): Set<Fact> | undefined {
    if (this.left <= 0) return undefined;
    const search = new Search(this.universe, this.left, facts, relaxed);
    this.stats.explanationChecks++;
    try {
      const ok = search.run();
      this.left -= search.steps;
      return ok ? undefined : search.looked;
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      this.left = 0;
      return undefined;
    }
  }
}

function minimise<P>(universe: Universe<P>, core: ReadonlySet<Fact>, recheck: Rechecker<P>): Fact[] {
  const unsat = (facts: ReadonlySet<Fact>): Set<Fact> | undefined => recheck.unsat(facts);
  const order = (facts: Iterable<Fact>): Fact[] =>
    [...facts].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0) || b.ownerKey - a.ownerKey || a.index - b.index);
  let current = new Set(core);
  const first = unsat(current);
  if (!first) {
    // Should not happen (the failing search used only these); fall back to every fact.
    return order(universe.allFacts());
  }
  const keepLooked = (looked: ReadonlySet<Fact>, from: ReadonlySet<Fact>): Set<Fact> => new Set([...from].filter((f) => looked.has(f)));
  current = keepLooked(first, current);
  for (const f of order(current)) {
    if (!current.has(f)) continue;
    const without = new Set(current);
    without.delete(f);
    const looked = unsat(without);
    if (looked) current = keepLooked(looked, without);
  }
  return order(current);
}

function toSolved<P>(universe: Universe<P>, search: Search<P>): SolvedMod<P>[] {
  const out: SolvedMod<P>[] = [];
  for (const [name, a] of search.assigned) {
    if (name === universe.rootNode) continue;
    const c = a.candidate;
    const origin = c.origin as SolvedOrigin;
    const requiredBy: SolvedReason[] = (search.incoming.get(name) ?? [])
      .filter((f) => f.kind === 'requires')
      .map((f) => ({
        ...(f.owner === universe.rootNode ? {} : { mod: f.owner }),
        ...(f.owner !== universe.rootNode && f.ownerVersion !== undefined ? { version: f.ownerVersion } : {}),
        dependency: f.text,
      }));
    const mod: SolvedMod<P> = { name, version: c.version, origin, requiredBy };
    if (c.release) mod.release = c.release;
    if (c.installedVersion !== undefined) mod.installedVersion = c.installedVersion;
    out.push(mod);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Resolves the mods to install for an info.json. Pure: every record comes through
 * `input.source`; never throws for a failure of the source or an impossible set.
 */
export async function solveDependencies<P>(input: SolveInput<P>): Promise<SolveResult<P>> {
  const stats: SolveStats = { steps: 0, lastRoundSteps: 0, rounds: 0, requests: 0, maxInFlight: 0, explanationChecks: 0 };
  const fail = (failure: SolveFailure): SolveResult<P> => ({ ok: false, failure, stats });
  const fv = parseFactorioVersion(input.factorioVersion);
  if (!fv.ok) return fail({ kind: 'invalid', message: fv.message });
  const universe = new Universe<P>({ ...input, factorioVersion: fv.text });
  const maxSteps = input.maxSteps ?? DEFAULT_SOLVER_STEPS;
  const semaphore = new Limiter(input.maxConcurrentRequests ?? 4);
  let inFlight = 0;
  const cancelled = (): SolveResult<P> => fail({ kind: 'cancelled', message: 'Resolving the dependencies was cancelled' });

  for (;;) {
    if (input.signal?.aborted) return cancelled();
    stats.rounds++;
    const search = new Search(universe, maxSteps - stats.steps);
    let ok: boolean;
    try {
      ok = search.run();
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      stats.steps = maxSteps;
      stats.lastRoundSteps = search.steps;
      return fail({ kind: 'budget', steps: maxSteps, message: `Gave up resolving the dependencies after ${maxSteps} steps` });
    }
    stats.steps += search.steps;
    stats.lastRoundSteps = search.steps;
    if (!ok) {
      const recheck = new Rechecker(universe, stats);
      const kept = minimise(universe, search.looked, recheck);
      const explanation = explain(universe, kept, cycleAmong(universe, kept), recheck);
      return fail({ kind: 'conflict', message: `No set of releases satisfies every dependency: ${explanation.text}`, explanation });
    }
    const wanted = [...search.assigned.keys()].filter((n) => universe.needsRecord(n)).sort();
    if (wanted.length === 0) return { ok: true, mods: toSolved(universe, search), stats };

    // A round waits for all its answers, so the next search sees the same records
    // whatever order they arrive in.
    const answers = new Map<string, readonly SolverRelease<P>[] | undefined>();
    let failure: { mod: string; error: unknown } | undefined;
    await Promise.all(
      wanted.map(async (name) => {
        let release: (() => void) | undefined;
        try {
          release = await semaphore.acquire(input.signal);
          if (failure || input.signal?.aborted) return;
          inFlight++;
          stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
          stats.requests++;
          try {
            answers.set(name, await input.source.releases(name, input.signal));
          } finally {
            inFlight--;
          }
        } catch (error) {
          if (!input.signal?.aborted) failure ??= { mod: name, error };
        } finally {
          release?.();
        }
      }),
    );
    if (input.signal?.aborted) return cancelled();
    if (failure) {
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
      return fail({ kind: 'source', mod: failure.mod, error: failure.error, message: `Could not read ${failure.mod} from the mod portal: ${reason}` });
    }
    for (const name of wanted) universe.addRecord(name, answers.get(name));
  }
}
