// The set of mods to install for an info.json: its required dependencies (`~` included)
// and the optional ones the user chose, transitively, one release each, for its
// factorio_version, such that the game loads every one of them.
//
// Algorithm. A depth-first search over the mods in the order they are first required
// (iterative, with its own stack of frames, so neither a root of 20,000 dependencies nor a
// chain thousands deep needs the call stack);
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
// the search goes back to the first of them, keeping every choice made before it (those
// choices, and the failures found under them, hold whatever the new records say: real
// records only add constraints). So work grows with the graph, not with its depth
// squared. A solution that uses only fetched mods is final; a failure with guesses is a
// real failure. Rounds wait for all their requests, so the result never depends on which
// answer arrives first.
//
// The host: the search, the parsing of the root's dependencies and the building of the
// result run in slices of about 20 ms with a turn of the event loop between two, where
// a cancellation is noticed; nothing runs in one piece for longer than a slice (a
// source answering from memory is not taken for a turn of the event loop).
//
// Missing mods: when the search fails and a required mod is not on the portal, it runs
// again with each missing mod standing for "present, any version", so it goes on past
// every one and reports them all with who requires each; a missing mod another choice
// avoids is left out of the report (each is refused in turn, and stays refused when a
// set without it still loads).
//
// Explanation: the facts (which release requires, forbids or constrains what) of every
// candidate the failing search looked at make an unsatisfiable set; halves, then
// quarters, … then single facts are dropped while the rest stays unsatisfiable (so a root
// of thousands of dependencies sheds the ones the conflict does not need in a few dozen
// re-checks), the set shrunk further to what each re-check used. What remains, with what
// the portal has of each constrained mod, is the explanation: the cause first (a cycle,
// what a mod lacks, an incompatibility), then how the set got there, at most 10 lines in
// the message and every line in `full`.
//
// Decisions: `~` does not order loading, so a cycle through a `~` edge is allowed (the
// prefix exists for exactly that); required and present optional dependencies order
// loading, and a cycle of those is refused. `+` (recommended) and optional dependencies
// not chosen are never pulled in. An incompatibility `! X >= 1.0` is treated as
// incompatible with every version of X: the game's documentation does not say that it
// reads the version, and a plan the game might refuse is worse than a refusal.
// A malformed dependency string is skipped (the analysis reports the root's; those of a
// chosen portal release come back as warnings, for the plan).
//
// Why not a library: npm has no maintained PubGrub or version solver for JavaScript;
// `logic-solver` (a SAT solver) would need every record encoded up front, which defeats
// lazy fetching, and it cannot name the facts of a conflict in terms of mods and versions.
//
// Limits: every step (a candidate tried) counts against a budget of `maxSteps` plus a few
// per mod read, so a hostile graph ends with a "gave up" failure instead of hanging and a
// big one never does; the search is complete within it.
// "Newest" is lexicographic in the order mods are first required: an earlier mod keeps
// its newest release at the cost of a later one, and no overall optimum is sought.
// Built-in mods are each checked against the game's version range, not against one
// shared game version. A workspace mod is the only candidate for its name; a mod that is
// installed but not on the portal is kept as it is, its dependencies unknown. The
// minimal explanation is minimal for the order facts are tried in, not the smallest
// possible, and minimisation stops early if it runs out of its own budget.

import { mapLimited } from '../util/limit';
import { builtinAvailableIn, builtinMod, builtinVersionRange, isBuiltinMod } from './builtins';
import { dependencySpec, formatDependency, parseDependency, type DependencyKind, type DependencySpec } from './dependency';
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
  /**
   * Candidates tried to go back and forth, over every round, before giving up: on top of
   * a few per mod, so the budget grows with the graph. Default 200,000.
   */
  maxSteps?: number;
  /** Default 4. */
  maxConcurrentRequests?: number;
  signal?: AbortSignal;
  /** The longest stretch of work between two turns of the event loop. Default 20 ms. */
  sliceMs?: number;
  /** Milliseconds, for the slices. Default `performance.now`. */
  clock?: () => number;
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
  /** Times the solver let the event loop turn. */
  slices: number;
  /** The longest stretch of work without a turn of the event loop, by the solver's clock. */
  longestSliceMs: number;
}

/** A dependency string of a chosen release that does not parse: the game ignores nothing, so the user should know. */
export interface SolveWarning {
  mod: string;
  version: string;
  dependency: string;
  message: string;
}

export interface MissingMod {
  name: string;
  /** Who requires it, in the set that would load if it were there. */
  requiredBy: SolvedReason[];
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
  /** The lines that say what is wrong, which come first. */
  cause: string[];
  /** The cause, then the facts that lead to it, at most EXPLANATION_LINES of them, joined with `; `. */
  text: string;
  /** Every line, one per line, for the log. */
  full: string;
}

export type SolveFailure =
  | { kind: 'conflict'; message: string; explanation: Explanation }
  | { kind: 'source'; message: string; mod: string; error: unknown }
  | { kind: 'missing'; message: string; missing: MissingMod[] }
  | { kind: 'budget'; message: string; steps: number }
  | { kind: 'cancelled'; message: string }
  | { kind: 'invalid'; message: string };

export type SolveResult<P = unknown> =
  | { ok: true; mods: SolvedMod<P>[]; warnings: SolveWarning[]; stats: SolveStats }
  | { ok: false; failure: SolveFailure; stats: SolveStats };

export const DEFAULT_SOLVER_STEPS = 200_000;
const STEPS_PER_MOD = 4;
const EXPLAIN_STEPS = 50_000;
/** Re-checks of an explanation may cost this many times the failing search. */
const EXPLAIN_STEPS_PER_STEP = 20;
export const DEFAULT_SLICE_MS = 20;

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
  ownerVersion: string | undefined;
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

type CandidateOrigin = SolvedOrigin | 'root' | 'guess' | 'missing';

interface Candidate<P> {
  lo: number;
  hi: number;
  version: string;
  origin: CandidateOrigin;
  release?: SolverRelease<P>;
  installedVersion?: string;
  facts: Fact[];
  /** Dependency strings of the release that do not parse (the game would refuse them too). */
  malformed?: readonly string[];
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

/** A release of a mod: its dependencies are parsed on first use, since most releases are never looked at. */
class ReleaseCandidate<P> implements Candidate<P> {
  readonly hi: number;
  release?: SolverRelease<P>;
  installedVersion?: string;
  private parsed: Fact[] | undefined;
  private bad: string[] | undefined;

  constructor(
    private readonly universe: Universe<P>,
    private readonly name: string,
    readonly lo: number,
    readonly version: string,
    readonly origin: CandidateOrigin,
    private readonly dependencies: readonly string[],
  ) {
    this.hi = lo;
  }

  get facts(): Fact[] {
    if (!this.parsed) {
      this.bad = [];
      this.parsed = this.universe.factsOf(this.name, this.version, this.lo, this.dependencies, undefined, this.bad);
    }
    return this.parsed;
  }

  get malformed(): readonly string[] {
    void this.facts;
    return this.bad ?? [];
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
  private missingAccepted = false;
  private missingRefused: ReadonlySet<string> = new Set();

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
    this.chosen = chosen;
  }

  private readonly chosen: ReadonlySet<string>;

  /** The root's facts, parsed a slice at a time: a modpack lists thousands. */
  async parseRoot(pacer: Pacer): Promise<void> {
    const deps = this.input.dependencies;
    for (let from = 0; from < deps.length; from += 32) {
      this.factsOf(this.rootNode, undefined, 0, deps, this.chosen, undefined, from, Math.min(deps.length, from + 32), this.rootCandidate.facts);
      await pacer.breatheIfDue();
    }
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

  /**
   * From now on a mod the portal does not have stands for "present, any version, no
   * dependencies", so a search goes on past it and finds every missing mod in one run.
   */
  acceptMissing(refused: ReadonlySet<string> = new Set()): void {
    this.missingAccepted = true;
    this.missingRefused = refused;
    for (const [name, d] of this.domains) if (d.kind === 'missing') this.domains.delete(name);
  }

  /** Mods read from the source: how big the graph known so far is. */
  get size(): number {
    return this.records.size;
  }

  factsOf(
    owner: string,
    ownerVersion: string | undefined,
    ownerKey: number,
    dependencies: readonly string[],
    chosen?: ReadonlySet<string>,
    malformed?: string[],
    from = 0,
    to = dependencies.length,
    facts: Fact[] = [],
  ): Fact[] {
    // A plain loop building objects of one shape: this runs for every release looked at.
    for (let index = from; index < to; index++) {
      const text = dependencies[index]!;
      const parsed = this.parse(text);
      if (!parsed) {
        malformed?.push(typeof text === 'string' ? text : (JSON.stringify(text) ?? String(text)));
        continue;
      }
      const spec = parsed.spec;
      if (spec.name === owner) continue;
      const isChosen = chosen !== undefined && spec.kind !== 'required' && spec.kind !== 'no-load-order' && spec.kind !== 'incompatible' && chosen.has(spec.name);
      const kind = isChosen ? 'requires' : kindOfFact(spec.kind);
      if (!kind) continue;
      const forbids = kind === 'forbids';
      facts.push({
        owner,
        ownerVersion,
        ownerKey,
        kind,
        target: spec.name === this.input.rootName ? this.rootNode : spec.name,
        lo: forbids ? 0 : parsed.range[0],
        hi: forbids ? MAX_KEY : parsed.range[1],
        orders: spec.kind !== 'no-load-order' && !forbids,
        text,
        canonical: parsed.canonical,
        chosen: isChosen,
        index,
      });
    }
    return facts;
  }

  /** Releases of a mod, and mods of a pack, repeat the same strings: each is parsed once. */
  private readonly parsed = new Map<string, { spec: DependencySpec; canonical: string; range: [number, number] } | null>();

  private parse(text: string): { spec: DependencySpec; canonical: string; range: [number, number] } | undefined {
    let p = this.parsed.get(text);
    if (p === undefined) {
      const spec = dependencySpec(parseDependency(text));
      p = spec ? { spec, canonical: formatDependency(spec), range: interval(spec.operator, spec.version !== undefined ? parseVersion(spec.version) : undefined) } : null;
      // Portal text may be anything: keep the table to strings of a sane length.
      if (typeof text === 'string' && text.length < 300) this.parsed.set(text, p);
    }
    return p ?? undefined;
  }

  private exact(name: string, version: string, origin: CandidateOrigin, dependencies: readonly string[], release?: SolverRelease<P>): Candidate<P> | undefined {
    const v = this.version(version);
    if (!v) return undefined;
    const c = new ReleaseCandidate<P>(this, name, keyOf(v), version, origin, dependencies);
    if (release) c.release = release;
    return c;
  }

  /** Every release carries its version; most repeat ("1.0.0"). */
  private readonly versions = new Map<string, Version | undefined>();

  version(text: string): Version | undefined {
    if (this.versions.has(text)) return this.versions.get(text);
    const v = parseVersion(text);
    if (typeof text === 'string' && text.length < 40) this.versions.set(text, v);
    return v;
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
      if (kind === 'missing' && this.missingAccepted && !this.missingRefused.has(name)) return { name, kind, candidates: [{ lo: 0, hi: MAX_KEY, version: '', origin: 'missing', facts: [] }], available: [] };
      return { name, kind, candidates: [], available: [] };
    };
    if (!releases) return installedOnly('missing');
    const loading = releases
      .map((release) => ({ release, v: this.version(release.version) }))
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
class Cancelled extends Error {}

interface Assigned<P> {
  candidate: Candidate<P>;
  /** 0 for the root, then 1, 2, … in the order of the choices. */
  order: number;
}

/** One mod being decided: what the recursion of a plain depth-first search keeps on its stack. */
interface Frame<P> {
  name: string;
  candidates: readonly Candidate<P>[];
  /** The next candidate to try. */
  next: number;
  /** Mods whose choices refused candidates of this one so far. */
  conflict: Set<string>;
  chosen?: Candidate<P>;
  /** The agenda's length when this frame began: later entries came from choices at or after it. */
  mark: number;
}

type SearchStatus = 'solved' | 'failed' | 'paused';

/**
 * A search over what the universe knows now. Iterative, with its own stack of frames, so
 * a root of thousands of dependencies or a chain thousands deep needs no call stack; it
 * stops when asked (to let the host breathe) and goes on where it stopped, and after new
 * records arrive it goes back only to the first mod whose record changed.
 */
class Search<P> {
  steps = 0;
  budget = Infinity;
  readonly assigned = new Map<string, Assigned<P>>();
  /** Active facts (of assigned candidates) by target. */
  readonly incoming = new Map<string, Fact[]>();
  private readonly need = new Map<string, number>();
  /** Required mods in the order first required; an entry stays when its requirers go. */
  private readonly agenda: string[] = [];
  private readonly agendaIndex = new Map<string, number>();
  /** Agenda positions that may be waiting for a decision (a min-heap, checked when read). */
  private readonly pending: number[] = [];
  private readonly frames: Frame<P>[] = [];
  /** A child frame's failure, for its parent to take in. */
  private returning: Set<string> | undefined;
  private descending = true;
  /** Facts of every candidate looked at: an unsatisfiable set when the search fails. */
  readonly looked = new Set<Fact>();

  constructor(
    private readonly universe: Universe<P>,
    private readonly enabled?: ReadonlySet<Fact>,
    /** Mods whose version constraints are ignored (to test whether a note matters). */
    private readonly relaxed?: ReadonlySet<string>,
  ) {
    for (const f of universe.rootCandidate.facts) if (this.on(f)) this.looked.add(f);
    this.assign(universe.rootNode, universe.rootCandidate);
  }

  private on(f: Fact): boolean {
    return this.enabled === undefined || this.enabled.has(f);
  }

  /** The mods chosen, in the order they were decided. */
  decided(): string[] {
    return this.frames.map((f) => f.name);
  }

  /**
   * Records of `changed` arrived: undo the choices from the first of them on, so the
   * search sees the real candidates. Everything decided before stays: its candidates and
   * the failures found under it hold whatever the new records say (they only add constraints).
   */
  rewind(changed: ReadonlySet<string>): void {
    const at = this.frames.findIndex((f) => changed.has(f.name));
    if (at < 0) return;
    while (this.frames.length > at + 1) {
      const top = this.frames.pop()!;
      if (top.chosen) this.unassign(top.name, top.chosen);
    }
    const frame = this.frames[at]!;
    if (frame.chosen) this.unassign(frame.name, frame.chosen);
    frame.chosen = undefined;
    frame.candidates = this.universe.domain(frame.name).candidates;
    frame.next = 0;
    frame.conflict = new Set();
    // Agenda entries added from this frame on belong to undone choices: they need nobody now.
    for (let i = frame.mark; i < this.agenda.length; i++) this.agendaIndex.delete(this.agenda[i]!);
    this.agenda.length = frame.mark;
    this.returning = undefined;
    this.descending = false;
  }

  private push(index: number): void {
    const heap = this.pending;
    heap.push(index);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= heap[i]!) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private popTop(): void {
    const heap = this.pending;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]! < heap[m]!) m = l;
      if (r < heap.length && heap[r]! < heap[m]!) m = r;
      if (m === i) return;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  }

  private assign(name: string, c: Candidate<P>): void {
    this.assigned.set(name, { candidate: c, order: this.assigned.size });
    for (const f of c.facts) {
      if (!this.on(f)) continue;
      let list = this.incoming.get(f.target);
      if (!list) this.incoming.set(f.target, (list = []));
      list.push(f);
      if (f.kind === 'requires') {
        const before = this.need.get(f.target) ?? 0;
        this.need.set(f.target, before + 1);
        let index = this.agendaIndex.get(f.target);
        if (index === undefined) {
          index = this.agenda.length;
          this.agenda.push(f.target);
          this.agendaIndex.set(f.target, index);
          this.push(index);
        } else if (before === 0) this.push(index);
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
    const index = this.agendaIndex.get(name);
    if (index !== undefined && (this.need.get(name) ?? 0) > 0) this.push(index);
  }

  /** The first required mod in the agenda not decided yet. */
  private next(): string | undefined {
    while (this.pending.length > 0) {
      const name = this.agenda[this.pending[0]!];
      if (name !== undefined && !this.assigned.has(name) && (this.need.get(name) ?? 0) > 0) return name;
      this.popTop();
    }
    return undefined;
  }

  /** The assigned mods whose choices put `name` in the set. */
  private requirers(name: string): string[] {
    return (this.incoming.get(name) ?? []).filter((f) => f.kind === 'requires').map((f) => f.owner);
  }

  /**
   * Decides mods until every required one has a release ('solved'), no choice is left
   * ('failed'), or `pause()` says the host has waited long enough ('paused': call again).
   */
  run(pause: () => boolean): SearchStatus {
    let turns = 0;
    for (;;) {
      if ((++turns & 15) === 0 && pause()) return 'paused';
      if (this.descending) {
        const name = this.next();
        if (name === undefined) return 'solved';
        this.frames.push({ name, candidates: this.universe.domain(name).candidates, next: 0, conflict: new Set(), mark: this.agenda.length });
        this.descending = false;
        continue;
      }
      const frame = this.frames[this.frames.length - 1];
      if (!frame) return 'failed';
      const failed = this.returning;
      if (failed) {
        this.returning = undefined;
        this.unassign(frame.name, frame.chosen!);
        frame.chosen = undefined;
        if (!failed.has(frame.name)) {
          // Nothing about this mod's choice caused the failure: no other choice can mend it.
          this.frames.pop();
          if (this.frames.length === 0) return 'failed';
          this.returning = failed;
          continue;
        }
        for (const m of failed) if (m !== frame.name) frame.conflict.add(m);
      }
      const c = frame.candidates[frame.next];
      if (c) {
        frame.next++;
        if (++this.steps > this.budget) throw new BudgetExceeded();
        for (const f of c.facts) if (this.on(f)) this.looked.add(f);
        const culprits = this.check(frame.name, c);
        if (culprits) {
          for (const m of culprits) frame.conflict.add(m);
          continue;
        }
        this.assign(frame.name, c);
        frame.chosen = c;
        this.descending = true;
        continue;
      }
      // The failure also needs this mod in the set, unless a mod in the conflict requires it anyway.
      const conflict = frame.conflict;
      const requirers = this.requirers(frame.name);
      if (!requirers.some((m) => m === this.universe.rootNode || conflict.has(m))) for (const m of requirers) conflict.add(m);
      conflict.delete(this.universe.rootNode);
      this.frames.pop();
      if (this.frames.length === 0) return 'failed';
      this.returning = conflict;
    }
  }

  /** The assigned mods that make `c` impossible for `name`, or undefined when it fits. */
  private check(name: string, c: Candidate<P>): Set<string> | undefined {
    // Each reason alone refuses the candidate; the one that names the earliest choices
    // is kept, so the search jumps back as far as it soundly can.
    let best: string[] | undefined;
    let bestLatest = Infinity;
    const reason = (mods: string[]): void => {
      let latest = 0;
      for (const m of mods) latest = Math.max(latest, this.assigned.get(m)?.order ?? 0);
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
    return new Set((best as string[]).filter((m) => m !== this.universe.rootNode));
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

/** Lines of an explanation shown in a message; the rest go to the log. */
export const EXPLANATION_LINES = 10;

async function explain<P>(universe: Universe<P>, kept: readonly Fact[], cycle: string[] | undefined, recheck: Rechecker<P>): Promise<Explanation> {
  const keptSet = new Set(kept);
  const stillUnsat = async (relax: string): Promise<boolean> => (await recheck.unsat(keptSet, new Set([relax]))) !== undefined;
  const label = (n: string): string => (n === universe.rootNode ? universe.rootLabel : n);
  const cycleEdges = new Set<string>();
  if (cycle) for (let i = 0; i + 1 < cycle.length; i++) cycleEdges.add(`${cycle[i]}\u0000${cycle[i + 1]}`);
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
    const target = label(f.target);
    const declares = `${who} ${many ? 'declare' : 'declares'} ${f.canonical}`;
    let text: string;
    if (f.chosen) text = `${declares}, chosen to be installed`;
    else if (f.kind === 'requires') text = `${who} ${many ? 'require' : 'requires'} ${f.canonical}`;
    else if (f.kind === 'forbids') text = declares;
    // An optional dependency matters for its version or, in a cycle, for the load order it
    // sets; one without a version can only matter for the order.
    else if (cycleEdges.has(`${label(f.owner)}\u0000${target}`) && (f.lo === 0 && f.hi === MAX_KEY ? true : !(await stillUnsat(f.target))))
      text = `${declares} (a present ${target} loads before ${many ? 'them' : 'it'})`;
    else text = `${declares} (a present ${target} of another version disables ${many ? 'them' : 'it'})`;
    facts.push({ ...(isRoot ? {} : { mod: f.owner }), versions, verb, dependency: f.canonical, target, text });
  }
  // What there was to choose from, for mods with a version constraint or nothing at all.
  const notes: string[] = [];
  const noted = new Set<string>();
  const targets = new Set<string>();
  for (const f of ordered) if (f.kind !== 'forbids' && f.target !== universe.rootNode) targets.add(f.target);
  const fv = universe.factorioVersion;
  for (const t of [...targets].sort()) {
    // A version note only where the versions matter: the facts stay impossible when
    // every version of the mod is allowed.
    const constrained = async (): Promise<boolean> => ordered.some((f) => f.target === t && f.kind !== 'forbids' && (f.lo > 0 || f.hi < MAX_KEY)) && !(await stillUnsat(t));
    const d = universe.domain(t);
    const note = (text: string): void => {
      notes.push(text);
      noted.add(t);
    };
    switch (d.kind) {
      case 'missing':
        note(`${t} is not on the mod portal`);
        break;
      case 'no-release':
        note(`${t} has no release for Factorio ${fv}`);
        break;
      case 'not-in-game':
        note(`${t} is not part of Factorio ${fv}`);
        break;
      case 'portal':
        if (await constrained()) note(`${t} has ${summariseAvailable(d.available)} for Factorio ${fv}` + (d.installed ? ` (${d.installed} installed)` : ''));
        break;
      case 'installed-only':
        if (await constrained()) note(`${t} is only installed, at ${d.installed}`);
        break;
      case 'workspace':
        if (d.candidates.length === 0) note(`${t}'s version in the workspace, "${d.available[0]}", is not a version`);
        else if (await constrained()) note(`${t} is the workspace's ${d.available[0]}`);
        break;
      case 'builtin':
        if (await constrained()) note(`${t} comes with the game: ${d.available[0]}.x`);
        break;
      case 'root':
      case 'guess':
        break;
    }
  }
  // The cause first: the cycle, else what a mod lacks (with the facts asking for it), else
  // the incompatibilities (with what requires their targets); then how the set got there.
  const cycleLine = cycle ? `${cycle.join(' → ')} is a load-order cycle, which the game refuses` : undefined;
  const forbidden = new Set(facts.filter((f) => f.verb === 'forbids').map((f) => f.target));
  const focus = cycle ? new Set<string>() : noted.size > 0 ? new Set([...noted].map(label)) : forbidden;
  const inCause = (f: ExplanationFact): boolean => focus.has(f.target) && (noted.size > 0 || f.verb !== 'requires' || f.mod !== undefined);
  const causeFacts = facts.filter(inCause);
  const cause = cycleLine ? [cycleLine] : [...causeFacts.map((f) => f.text), ...notes];
  const rest = facts.filter((f) => cycleLine !== undefined || !inCause(f)).map((f) => f.text);
  const all = [...cause, ...rest];
  const shown = all.length > EXPLANATION_LINES ? [...all.slice(0, EXPLANATION_LINES), `and ${all.length - EXPLANATION_LINES} more`] : all;
  return { facts, notes, ...(cycle ? { cycle } : {}), cause, text: shown.join('; '), full: all.join('\n') };
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
  const starts = [...edges.keys()].sort((a, b) => Number(b === universe.rootNode) - Number(a === universe.rootNode) || (a < b ? -1 : a > b ? 1 : 0));
  for (const start of starts) {
    if (state.get(start) !== undefined) continue;
    // Depth-first with its own stack: [node, next edge].
    const path: Array<[string, number]> = [[start, 0]];
    state.set(start, 1);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const t = (edges.get(top[0]) ?? [])[top[1]++];
      if (t === undefined) {
        state.set(top[0], 2);
        path.pop();
      } else if (state.get(t) === 1) {
        const names = path.map((p) => p[0]);
        return [...names.slice(names.indexOf(t)), t].map(label);
      } else if (state.get(t) === undefined) {
        state.set(t, 1);
        path.push([t, 0]);
      }
    }
  }
  return undefined;
}

/**
 * Keeps the host responsive: searches run in slices of about `sliceMs`, with a turn of
 * the event loop between two, where a cancellation is noticed.
 */
class Pacer {
  private sliceStart: number;

  constructor(
    private readonly clock: () => number,
    private readonly sliceMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly stats: SolveStats,
  ) {
    this.sliceStart = clock();
  }

  readonly due = (): boolean => this.clock() - this.sliceStart >= this.sliceMs;

  private turned = true;

  /** Before waiting for the source: the slice ends if the event loop turns while waiting. */
  endSlice(): void {
    this.stats.longestSliceMs = Math.max(this.stats.longestSliceMs, this.clock() - this.sliceStart);
    this.turned = false;
    setImmediate(() => (this.turned = true));
  }

  /** After waiting: a source answering from memory never let the event loop turn, so the slice goes on. */
  startSlice(): void {
    if (this.signal?.aborted) throw new Cancelled();
    if (this.turned) this.sliceStart = this.clock();
  }

  async breathe(): Promise<void> {
    this.stats.longestSliceMs = Math.max(this.stats.longestSliceMs, this.clock() - this.sliceStart);
    this.stats.slices++;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.signal?.aborted) throw new Cancelled();
    this.sliceStart = this.clock();
  }

  async breatheIfDue(): Promise<void> {
    if (this.due()) await this.breathe();
  }

  async run<P>(search: Search<P>): Promise<'solved' | 'failed'> {
    for (;;) {
      const status = search.run(this.due);
      if (status !== 'paused') return status;
      await this.breathe();
    }
  }
}

/**
 * Re-checks for the explanation, all within one budget. Undefined when the facts are
 * satisfiable or the budget ran out: either way the fact in question is kept, which
 * leaves the explanation true, only longer.
 */
class Rechecker<P> {
  private left: number;

  constructor(
    private readonly universe: Universe<P>,
    private readonly stats: SolveStats,
    private readonly pacer: Pacer,
    budget: number,
  ) {
    this.left = budget;
  }

  /** The facts the failing search looked at, when `facts` is still impossible. */
  async unsat(facts: ReadonlySet<Fact>, relaxed?: ReadonlySet<string>): Promise<Set<Fact> | undefined> {
    if (this.left <= 0) return undefined;
    await this.pacer.breatheIfDue();
    const search = new Search(this.universe, facts, relaxed);
    search.budget = this.left;
    this.stats.explanationChecks++;
    try {
      const status = await this.pacer.run(search);
      this.left -= search.steps;
      return status === 'solved' ? undefined : search.looked;
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      this.left = 0;
      return undefined;
    }
  }
}

/**
 * Shrinks an unsatisfiable fact set to one where every fact is needed: drops halves,
 * then quarters, … then single facts while the rest stays impossible (a root of
 * thousands of dependencies sheds all but a few in a few dozen checks, not thousands).
 */
async function minimise<P>(universe: Universe<P>, core: ReadonlySet<Fact>, recheck: Rechecker<P>): Promise<Fact[]> {
  const order = (facts: Iterable<Fact>): Fact[] =>
    [...facts].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0) || b.ownerKey - a.ownerKey || a.index - b.index);
  const first = await recheck.unsat(new Set(core));
  if (!first) {
    // Should not happen (the failing search used only these); fall back to every fact.
    return order(universe.allFacts());
  }
  let current = order([...core].filter((f) => first.has(f)));
  let chunk = Math.max(1, Math.ceil(current.length / 2));
  for (;;) {
    let i = 0;
    while (i < current.length) {
      const without = [...current.slice(0, i), ...current.slice(i + chunk)];
      const looked = without.length < current.length ? await recheck.unsat(new Set(without)) : undefined;
      if (looked) current = without.filter((f) => looked.has(f));
      else i += chunk;
    }
    if (chunk === 1) return current;
    chunk = Math.ceil(chunk / 2);
  }
}

async function toSolved<P>(universe: Universe<P>, search: Search<P>, pacer: Pacer): Promise<{ mods: SolvedMod<P>[]; warnings: SolveWarning[] }> {
  const out: SolvedMod<P>[] = [];
  const warnings: SolveWarning[] = [];
  for (const [name, a] of search.assigned) {
    if (name === universe.rootNode) continue;
    if ((out.length & 31) === 0) await pacer.breatheIfDue();
    const c = a.candidate;
    const origin = c.origin as SolvedOrigin;
    const mod: SolvedMod<P> = { name, version: c.version, origin, requiredBy: requiredBy(universe, search, name) };
    if (c.release) mod.release = c.release;
    if (c.installedVersion !== undefined) mod.installedVersion = c.installedVersion;
    out.push(mod);
    if (c.release) for (const dependency of c.malformed ?? []) warnings.push({ mod: name, version: c.version, dependency, message: `${name} ${c.version} declares "${dependency.length > 200 ? dependency.slice(0, 200) + '…' : dependency}", which is not a valid dependency; it was ignored` });
  }
  const byName = (a: { name?: string; mod?: string }, b: { name?: string; mod?: string }): number => {
    const x = a.name ?? a.mod ?? '';
    const y = b.name ?? b.mod ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return { mods: out.sort(byName), warnings: warnings.sort(byName) };
}

function requiredBy<P>(universe: Universe<P>, search: Search<P>, name: string): SolvedReason[] {
  return (search.incoming.get(name) ?? [])
    .filter((f) => f.kind === 'requires')
    .map((f) => ({
      ...(f.owner === universe.rootNode ? {} : { mod: f.owner }),
      ...(f.owner !== universe.rootNode && f.ownerVersion !== undefined ? { version: f.ownerVersion } : {}),
      dependency: f.text,
    }));
}

class SourceFailed extends Error {
  constructor(
    readonly mod: string,
    readonly error: unknown,
  ) {
    super(`Could not read ${mod} from the mod portal: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Resolves the mods to install for an info.json. Pure: every record comes through
 * `input.source`; never throws for a failure of the source or an impossible set.
 */
export async function solveDependencies<P>(input: SolveInput<P>): Promise<SolveResult<P>> {
  const stats: SolveStats = { steps: 0, lastRoundSteps: 0, rounds: 0, requests: 0, maxInFlight: 0, explanationChecks: 0, slices: 0, longestSliceMs: 0 };
  const fail = (failure: SolveFailure): SolveResult<P> => ({ ok: false, failure, stats });
  const cancelled = (): SolveResult<P> => fail({ kind: 'cancelled', message: 'Resolving the dependencies was cancelled' });
  const fv = parseFactorioVersion(input.factorioVersion);
  if (!fv.ok) return fail({ kind: 'invalid', message: fv.message });
  if (input.signal?.aborted) return cancelled();
  const pacer = new Pacer(input.clock ?? (() => performance.now()), input.sliceMs ?? DEFAULT_SLICE_MS, input.signal, stats);
  const universe = new Universe<P>({ ...input, factorioVersion: fv.text });
  const maxSteps = input.maxSteps ?? DEFAULT_SOLVER_STEPS;
  // Each mod may have each of its candidates tried once more for free: the budget is for
  // going back and forth, so a big graph alone never exhausts it.
  const budget = (): number => maxSteps + STEPS_PER_MOD * universe.size;
  const concurrency = Math.max(1, input.maxConcurrentRequests ?? 4);
  let inFlight = 0;

  /** Rounds of search and fetch over one search until it needs nothing more. */
  const rounds = async (search: Search<P>): Promise<'solved' | 'failed'> => {
    for (;;) {
      stats.rounds++;
      const before = search.steps;
      search.budget = budget();
      let status: 'solved' | 'failed';
      try {
        status = await pacer.run(search);
      } finally {
        stats.lastRoundSteps = search.steps - before;
        stats.steps += search.steps - before;
      }
      if (status === 'failed') return status;
      const wanted = search.decided().filter((n) => universe.needsRecord(n));
      if (wanted.length === 0) return status;
      // A round waits for all its answers, so the next search sees the same records
      // whatever order they arrive in.
      const answers = new Map<string, readonly SolverRelease<P>[] | undefined>();
      pacer.endSlice();
      await mapLimited(
        wanted,
        concurrency,
        async (name) => {
          inFlight++;
          stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
          stats.requests++;
          try {
            answers.set(name, await input.source.releases(name, input.signal));
          } catch (error) {
            // The first failure stops the round (mapLimited starts no further mod).
            if (!input.signal?.aborted) throw new SourceFailed(name, error);
          } finally {
            inFlight--;
          }
          // Answers from a memory cache come back without a turn of the event loop.
          if (pacer.due()) await pacer.breathe();
        },
        input.signal,
      );
      pacer.startSlice();
      for (const name of wanted) universe.addRecord(name, answers.get(name));
      search.rewind(new Set(wanted));
    }
  };

  try {
    await universe.parseRoot(pacer);
    const search = new Search(universe);
    if ((await rounds(search)) === 'solved') {
      const { mods, warnings } = await toSolved(universe, search, pacer);
      pacer.endSlice();
      return { ok: true, mods, warnings, stats };
    }
    // Missing mods first, all of them: the search goes on past each one to find the rest.
    if ([...search.looked].some((f) => f.kind === 'requires' && universe.domain(f.target).kind === 'missing' && universe.domain(f.target).candidates.length === 0)) {
      const missingIn = (s: Search<P>): string[] => [...s.assigned].filter(([, a]) => a.candidate.origin === 'missing').map(([name]) => name).sort();
      universe.acceptMissing();
      let past = new Search(universe);
      if ((await rounds(past)) === 'solved') {
        // Only the missing mods no other choice avoids: each is refused in turn, and stays
        // refused when a set without it still loads.
        const refused = new Set<string>();
        for (const name of missingIn(past)) {
          refused.add(name);
          universe.acceptMissing(refused);
          const without = new Search(universe);
          if ((await rounds(without)) === 'solved') past = without;
          else refused.delete(name);
        }
        universe.acceptMissing(refused);
        const missing = [...past.assigned.entries()]
          .filter(([, a]) => a.candidate.origin === 'missing')
          .map(([name]) => ({ name, requiredBy: requiredBy(universe, past, name) }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const who = (r: SolvedReason): string => (r.mod ? `${r.mod} ${r.version ?? ''}`.trim() : universe.rootLabel);
        const lines = missing.map((m) => `${m.name} (required by ${m.requiredBy.map(who).join(', ')})`);
        pacer.endSlice();
        return fail({
          kind: 'missing',
          missing,
          message: `${missing.length === 1 ? '1 required mod is' : `${missing.length} required mods are`} not on the mod portal: ${lines.join('; ')}`,
        });
      }
    }
    const recheck = new Rechecker(universe, stats, pacer, EXPLAIN_STEPS + EXPLAIN_STEPS_PER_STEP * search.steps);
    const kept = await minimise(universe, search.looked, recheck);
    const explanation = await explain(universe, kept, cycleAmong(universe, kept), recheck);
    pacer.endSlice();
    return fail({ kind: 'conflict', message: `No set of releases satisfies every dependency: ${explanation.text}`, explanation });
  } catch (e) {
    if (e instanceof Cancelled || input.signal?.aborted) return cancelled();
    if (e instanceof SourceFailed) return fail({ kind: 'source', mod: e.mod, error: e.error, message: e.message });
    if (e instanceof BudgetExceeded) return fail({ kind: 'budget', steps: stats.steps, message: `Gave up resolving the dependencies after ${stats.steps} steps` });
    throw e;
  }
}
