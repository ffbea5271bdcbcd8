// The transitive dependency tree of a mod, resolved the way the game would see it: each
// constraint selects the newest release that loads with the mod's Factorio version and
// satisfies every constraint placed on it, and that release's own dependencies (known
// only from `/full`) continue the tree. Conflicts are reported as plain data.
//
// Which mods count as loaded follows the game: the root's required dependencies and,
// transitively, theirs. Optional, hidden and recommended ones of the root are "maybe"
// loaded (the player decides), so their own requirements are followed too; optional
// dependencies further down are shown but not followed.

import type { Release } from '../portal/types';
import { builtinMod, isBuiltinMod } from './builtins';
import { DependencyKind, isRequiredKind, parseDependency } from './dependency';
import { latestCompatibleRelease, newestSatisfying } from './releases';
import { formatVersion, majorMinor, Operator, Version } from './version';

/** What is known about one mod. `dependenciesKnown` is false for releases from the list or namelist. */
export type ResolveFacts =
  | { state: 'found'; releases: readonly Release[]; dependenciesKnown: boolean }
  | { state: 'missing' }
  | { state: 'unknown' };

export type ResolveLookup = (name: string) => ResolveFacts;

export interface ResolveInput {
  /** The info.json's own name; dependencies on it close a cycle. */
  rootName?: string;
  /** The info.json's factorio_version; without it any release qualifies. */
  factorioVersion?: string;
  /** The dependency strings as written. */
  dependencies: readonly string[];
  lookup: ResolveLookup;
  /** Bound on the mods whose dependencies are followed. Default 300. */
  maxMods?: number;
}

export type ProblemCode = 'incompatible' | 'unsatisfiable' | 'no-release' | 'missing' | 'cycle';

export interface ResolveProblem {
  code: ProblemCode;
  severity: 'error' | 'warning';
  message: string;
  /** Every mod the problem concerns. */
  mods: string[];
}

export type NodeState =
  /** A release was selected. */
  | 'resolved'
  /** Ships with the game. */
  | 'builtin'
  /** The portal says the mod does not exist. */
  | 'missing'
  /** Nothing known yet. */
  | 'unknown'
  /** No release for the Factorio version. */
  | 'no-release'
  /** Releases exist for the Factorio version, none satisfies every constraint. */
  | 'unsatisfiable'
  /** The dependency string does not parse. */
  | 'malformed'
  /** A dependency on the root mod itself. */
  | 'self'
  /** An incompatibility: nothing to select. */
  | 'excluded';

export type LoadState = 'loaded' | 'maybe' | 'no';

export interface DependencyNode {
  name: string;
  kind: DependencyKind;
  /** The dependency string as its declarer wrote it. */
  text: string;
  /** `>= 1.2.0`, when the string has one. */
  constraint?: string;
  /** Who declares this dependency: the root's name (or '') or a mod's. */
  declaredBy: string;
  state: NodeState;
  /** The selected release. */
  version?: string;
  factorioVersion?: string;
  releasedAt?: string;
  /** Whether the game would load this mod, given the root's required dependencies. */
  load: LoadState;
  children: DependencyNode[];
  /** 'seen': expanded at a shallower place of the tree; 'cycle': an ancestor of itself. */
  repeat?: 'seen' | 'cycle';
  /** The mod's dependencies are still to be fetched. */
  pending: boolean;
  /** Problems that concern this mod. */
  problems: ResolveProblem[];
}

export interface Resolution {
  roots: DependencyNode[];
  problems: ResolveProblem[];
  /** Mods whose dependencies must be fetched (`/full`) to finish the tree. */
  needFull: string[];
  /** Mods about which nothing is known yet, but whose dependencies are not needed. */
  needAny: string[];
  /** Mods the game would load (the root excluded). */
  loaded: string[];
  /** More mods than `maxMods` would have been followed. */
  truncated: boolean;
}

interface Constraint {
  op: Operator;
  version: Version;
  text: string;
}

interface Edge {
  from: string;
  to: string;
  kind: DependencyKind;
  text: string;
  constraint?: Constraint;
  malformed: boolean;
}

const ROOT = '\u0000root';

/** Kinds that order loading (and so can form a cycle the game rejects). */
function ordersLoading(kind: DependencyKind): boolean {
  return kind === 'required' || kind === 'optional' || kind === 'hidden-optional' || kind === 'recommended';
}

function parseEdge(from: string, text: string): Edge | undefined {
  const parsed = parseDependency(text);
  if (!parsed.name) return undefined;
  const edge: Edge = { from, to: parsed.name.text, kind: parsed.kind, text, malformed: parsed.error !== undefined };
  if (parsed.operator && parsed.version && !parsed.error) {
    edge.constraint = {
      op: parsed.operator.value,
      version: parsed.version.value,
      text: `${parsed.operator.value} ${parsed.version.text}`,
    };
  }
  return edge;
}

type Pick = { release: Release } | { none: 'no-release' | 'unsatisfiable' };

function pickRelease(releases: readonly Release[], factorioVersion: string | undefined, constraints: readonly Constraint[]): Pick {
  if (!latestCompatibleRelease(releases, factorioVersion)) return { none: 'no-release' };
  const found = newestSatisfying(releases, constraints.map((k) => ({ op: k.op, bound: k.version })), factorioVersion);
  return found ? { release: found } : { none: 'unsatisfiable' };
}

function builtinDependencies(name: string, factorioVersion: string | undefined): readonly string[] {
  const mod = builtinMod(name);
  if (!mod) return [];
  if (factorioVersion !== undefined) {
    const v = majorMinor(factorioVersion);
    if (v) return mod.dependencies[formatVersion(v)] ?? [];
  }
  return [];
}

interface Graph {
  /** Edges by declarer, in declaration order. */
  out: Map<string, Edge[]>;
  /** Mods whose dependencies were followed, in breadth-first order, with their depth. */
  expanded: Map<string, number>;
  /** The edge through which each expanded mod was first reached. */
  via: Map<string, Edge>;
  loaded: Set<string>;
  maybe: Set<string>;
  needFull: Set<string>;
  truncated: boolean;
}

class Resolver {
  private readonly factorioVersion: string | undefined;
  private readonly rootName: string;
  private readonly maxMods: number;
  private readonly facts = new Map<string, ResolveFacts>();
  /** The root's dependencies, parsed once so every round shares the same edges; undefined where there is no name. */
  private readonly rootEdges: ReadonlyArray<Edge | undefined>;

  constructor(private readonly input: ResolveInput) {
    this.factorioVersion = input.factorioVersion;
    this.rootName = input.rootName ?? '';
    this.maxMods = input.maxMods ?? 300;
    this.rootEdges = input.dependencies.map((t) => parseEdge(ROOT, t));
  }

  private lookup(name: string): ResolveFacts {
    let f = this.facts.get(name);
    if (!f) {
      f = this.input.lookup(name);
      this.facts.set(name, f);
    }
    return f;
  }

  private isRootName(name: string): boolean {
    return this.rootName !== '' && name === this.rootName;
  }

  /** Constraints on each mod from every followed declarer. */
  private constraintsOf(graph: Graph): Map<string, Constraint[]> {
    const out = new Map<string, Constraint[]>();
    for (const [from, edges] of graph.out) {
      if (from !== ROOT && !graph.expanded.has(from)) continue;
      for (const e of edges) {
        if (e.kind === 'incompatible' || !e.constraint) continue;
        const list = out.get(e.to) ?? [];
        list.push(e.constraint);
        out.set(e.to, list);
      }
    }
    return out;
  }

  private select(name: string, constraints: readonly Constraint[]): Release | undefined {
    if (isBuiltinMod(name)) return undefined;
    const f = this.lookup(name);
    if (f.state !== 'found') return undefined;
    const pick = pickRelease(f.releases, this.factorioVersion, constraints);
    return 'release' in pick ? pick.release : undefined;
  }

  /** The edges a mod declares through its selected release (or, for a built-in mod, the game's data). */
  private edgesOf(name: string, selected: Release | undefined): Edge[] | 'pending' {
    if (isBuiltinMod(name)) {
      return builtinDependencies(name, this.factorioVersion).flatMap((t) => parseEdge(name, t) ?? []);
    }
    const f = this.lookup(name);
    if (f.state === 'missing') return [];
    if (f.state === 'unknown' || !f.dependenciesKnown) return 'pending';
    if (!selected) return [];
    return (selected.info_json?.dependencies ?? []).flatMap((t) => parseEdge(name, t) ?? []);
  }

  private build(selection: ReadonlyMap<string, Release | undefined>): Graph {
    const graph: Graph = {
      out: new Map(),
      expanded: new Map(),
      via: new Map(),
      loaded: new Set(),
      maybe: new Set(),
      needFull: new Set(),
      truncated: false,
    };
    const rootEdges = this.rootEdges.filter((e): e is Edge => e !== undefined);
    graph.out.set(ROOT, rootEdges);
    const running = new Map<string, Constraint[]>();
    const note = (edges: readonly Edge[]): void => {
      for (const e of edges) {
        if (e.kind === 'incompatible' || !e.constraint) continue;
        const list = running.get(e.to) ?? [];
        list.push(e.constraint);
        running.set(e.to, list);
      }
    };
    note(rootEdges);

    // Breadth first, so each mod is followed at its shallowest place.
    const queue: Array<{ name: string; depth: number; load: 'loaded' | 'maybe' }> = [];
    const enqueue = (edge: Edge, depth: number, parentLoad: 'loaded' | 'maybe'): void => {
      if (edge.kind === 'incompatible' || this.isRootName(edge.to)) return;
      const followed = depth === 1 || isRequiredKind(edge.kind);
      if (!followed) return;
      const load = parentLoad === 'loaded' && isRequiredKind(edge.kind) ? 'loaded' : 'maybe';
      if (load === 'loaded') {
        graph.loaded.add(edge.to);
        graph.maybe.delete(edge.to);
      } else if (!graph.loaded.has(edge.to)) {
        graph.maybe.add(edge.to);
      }
      if (graph.expanded.has(edge.to)) {
        // Already followed as "maybe": being loaded now makes its requirements loaded too.
        if (load === 'loaded') this.promote(graph, edge.to);
        return;
      }
      if (graph.expanded.size >= this.maxMods) {
        graph.truncated = true;
        return;
      }
      graph.expanded.set(edge.to, depth);
      graph.via.set(edge.to, edge);
      queue.push({ name: edge.to, depth, load });
    };
    for (const e of rootEdges) enqueue(e, 1, 'loaded');

    for (let i = 0; i < queue.length; i++) {
      const { name, depth } = queue[i]!;
      const load = graph.loaded.has(name) ? 'loaded' : 'maybe';
      const selected = selection.has(name) ? selection.get(name) : this.select(name, running.get(name) ?? []);
      const edges = this.edgesOf(name, selected);
      if (edges === 'pending') {
        graph.needFull.add(name);
        continue;
      }
      graph.out.set(name, edges);
      note(edges);
      for (const e of edges) enqueue(e, depth + 1, load);
    }
    return graph;
  }

  /** Marks a followed mod, and what it requires, as loaded. */
  private promote(graph: Graph, name: string): void {
    const stack = [name];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const e of graph.out.get(current) ?? []) {
        if (!isRequiredKind(e.kind) || graph.loaded.has(e.to) || this.isRootName(e.to)) continue;
        graph.loaded.add(e.to);
        graph.maybe.delete(e.to);
        stack.push(e.to);
      }
    }
  }

  resolve(): Resolution {
    // Constraints found deeper in the tree can change what a shallower constraint selects,
    // which changes the edges: iterate until the selection settles.
    let selection = new Map<string, Release | undefined>();
    let graph = this.build(selection);
    for (let round = 0; round < 8; round++) {
      const constraints = this.constraintsOf(graph);
      const next = new Map<string, Release | undefined>();
      for (const name of graph.expanded.keys()) next.set(name, this.select(name, constraints.get(name) ?? []));
      const settled = next.size === selection.size && [...next].every(([n, r]) => selection.get(n) === r);
      selection = next;
      if (settled) break;
      graph = this.build(selection);
    }
    const constraints = this.constraintsOf(graph);
    const problems = this.problems(graph, constraints);
    const needAny = new Set<string>();
    // In the order written; entries without a name are still shown, as written.
    const roots = this.rootEdges.map((e, i): DependencyNode => {
      if (e) return this.node(e, graph, constraints, problems, [], this.rootName, 1, needAny);
      const text = this.input.dependencies[i] ?? '';
      return { name: text, kind: 'required', text, declaredBy: this.rootName, state: 'malformed', load: 'no', children: [], pending: false, problems: [] };
    });
    return {
      roots,
      problems,
      needFull: [...graph.needFull],
      needAny: [...needAny].filter((n) => !graph.needFull.has(n)),
      loaded: [...graph.loaded],
      truncated: graph.truncated,
    };
  }

  private declarerLabel(from: string): string {
    if (from === ROOT) return this.rootName || 'this mod';
    return from;
  }

  private problems(graph: Graph, constraints: Map<string, Constraint[]>): ResolveProblem[] {
    const problems: ResolveProblem[] = [];
    const inSet = (name: string): LoadState =>
      this.isRootName(name) ? 'loaded' : graph.loaded.has(name) ? 'loaded' : graph.maybe.has(name) ? 'maybe' : 'no';
    const declarerState = (from: string): LoadState => (from === ROOT ? 'loaded' : inSet(from));

    // Incompatibilities between mods that are (or may be) loaded together.
    for (const [from, edges] of graph.out) {
      const fromState = declarerState(from);
      if (fromState === 'no') continue;
      for (const e of edges) {
        if (e.kind !== 'incompatible') continue;
        const target = inSet(e.to);
        if (target === 'no') continue;
        const certain = fromState === 'loaded' && target === 'loaded';
        const who = this.declarerLabel(from);
        const requiredBy = [...graph.out]
          .filter(([f, list]) => f !== from && list.some((x) => x.to === e.to && x.kind !== 'incompatible'))
          .map(([f]) => this.declarerLabel(f));
        problems.push({
          code: 'incompatible',
          severity: certain ? 'error' : 'warning',
          message:
            `${who} declares ${e.to} incompatible` +
            (requiredBy.length > 0 ? `, but ${requiredBy.join(', ')} ${certain ? 'requires' : 'may load'} it` : `, but it is ${certain ? 'loaded' : 'possibly loaded'}`),
          mods: from === ROOT ? [e.to] : [from, e.to],
        });
      }
    }

    // Releases: nothing for the Factorio version, or nothing satisfying every constraint.
    const checked = new Set<string>();
    for (const [from, edges] of graph.out) {
      if (declarerState(from) === 'no') continue;
      for (const e of edges) {
        if (e.kind === 'incompatible' || checked.has(e.to) || this.isRootName(e.to) || isBuiltinMod(e.to)) continue;
        const state = inSet(e.to);
        if (state === 'no') continue;
        checked.add(e.to);
        const f = this.lookup(e.to);
        const severity = state === 'loaded' ? 'error' : 'warning';
        if (f.state === 'missing') {
          problems.push({ code: 'missing', severity, message: `${e.to} is not on the Mod Portal`, mods: [e.to] });
          continue;
        }
        if (f.state !== 'found') continue;
        const list = constraints.get(e.to) ?? [];
        const pick = pickRelease(f.releases, this.factorioVersion, list);
        if ('release' in pick) continue;
        if (pick.none === 'no-release') {
          const fv = this.factorioVersion ? ` for Factorio ${this.factorioVersion}` : '';
          problems.push({ code: 'no-release', severity, message: `${e.to} has no release${fv}`, mods: [e.to] });
        } else {
          const by = this.constraintSources(graph, e.to)
            .map((s) => `${s.constraint} (${s.from})`)
            .join(', ');
          problems.push({
            code: 'unsatisfiable',
            severity,
            message: `No release of ${e.to} satisfies ${by}`,
            mods: [e.to],
          });
        }
      }
    }

    problems.push(...this.cycles(graph));
    return problems;
  }

  private constraintSources(graph: Graph, name: string): Array<{ from: string; constraint: string }> {
    const out: Array<{ from: string; constraint: string }> = [];
    for (const [from, edges] of graph.out) {
      if (from !== ROOT && !graph.expanded.has(from)) continue;
      for (const e of edges) {
        if (e.to === name && e.kind !== 'incompatible' && e.constraint) out.push({ from: this.declarerLabel(from), constraint: e.constraint.text });
      }
    }
    return out;
  }

  /** Strongly connected components of the load-ordering edges among loaded mods (Tarjan). */
  private cycles(graph: Graph): ResolveProblem[] {
    const rootKey = this.rootName || ROOT;
    const key = (name: string): string => (name === ROOT ? rootKey : name);
    const nodes = new Set<string>([rootKey, ...graph.loaded]);
    const adjacency = new Map<string, string[]>();
    for (const [from, edges] of graph.out) {
      const f = key(from);
      if (!nodes.has(f)) continue;
      for (const e of edges) {
        if (!ordersLoading(e.kind) || !nodes.has(e.to)) continue;
        const list = adjacency.get(f) ?? [];
        list.push(e.to);
        adjacency.set(f, list);
      }
    }
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const components: string[][] = [];
    let counter = 0;
    const visit = (start: string): void => {
      // Iterative, so a long chain cannot overflow the call stack.
      const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
      index.set(start, counter);
      low.set(start, counter++);
      stack.push(start);
      onStack.add(start);
      while (work.length > 0) {
        const top = work[work.length - 1]!;
        const successors = adjacency.get(top.node) ?? [];
        if (top.next < successors.length) {
          const w = successors[top.next++]!;
          if (!index.has(w)) {
            index.set(w, counter);
            low.set(w, counter++);
            stack.push(w);
            onStack.add(w);
            work.push({ node: w, next: 0 });
          } else if (onStack.has(w)) {
            low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
          }
          continue;
        }
        work.pop();
        if (work.length > 0) {
          const parent = work[work.length - 1]!.node;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
        }
        if (low.get(top.node) === index.get(top.node)) {
          const component: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            component.push(w);
          } while (w !== top.node);
          const selfLoop = component.length === 1 && (adjacency.get(w) ?? []).includes(w);
          if (component.length > 1 || selfLoop) components.push(component.reverse());
        }
      }
    };
    for (const n of nodes) if (!index.has(n)) visit(n);
    return components.map((component) => {
      const names = component.map((n) => (n === ROOT ? 'this mod' : n));
      return {
        code: 'cycle' as const,
        severity: 'error' as const,
        message: `Circular dependency: ${[...names, names[0]].join(' → ')}`,
        mods: component.filter((n) => n !== ROOT),
      };
    });
  }

  private node(
    edge: Edge,
    graph: Graph,
    constraints: Map<string, Constraint[]>,
    problems: readonly ResolveProblem[],
    ancestors: readonly string[],
    declaredBy: string,
    depth: number,
    needAny: Set<string>,
  ): DependencyNode {
    const name = edge.to;
    const load: LoadState = graph.loaded.has(name) ? 'loaded' : graph.maybe.has(name) ? 'maybe' : 'no';
    const node: DependencyNode = {
      name,
      kind: edge.kind,
      text: edge.text,
      declaredBy,
      state: 'unknown',
      load: edge.kind === 'incompatible' ? 'no' : load,
      children: [],
      pending: false,
      problems: problems.filter((p) => p.mods.includes(name)),
    };
    if (edge.constraint) node.constraint = edge.constraint.text;
    if (edge.malformed) node.state = 'malformed';
    else if (this.isRootName(name)) node.state = 'self';
    else if (edge.kind === 'incompatible') node.state = 'excluded';
    else if (isBuiltinMod(name)) node.state = 'builtin';
    else {
      const f = this.lookup(name);
      if (f.state === 'missing') node.state = 'missing';
      else if (f.state === 'unknown') {
        node.state = 'unknown';
        needAny.add(name);
      } else {
        const own = graph.expanded.has(name) ? (constraints.get(name) ?? []) : edge.constraint ? [edge.constraint] : [];
        const pick = pickRelease(f.releases, this.factorioVersion, own);
        if ('release' in pick) {
          node.state = 'resolved';
          node.version = pick.release.version;
          node.factorioVersion = pick.release.info_json?.factorio_version;
          node.releasedAt = pick.release.released_at;
        } else {
          node.state = pick.none;
        }
      }
    }
    if (node.state === 'self' || node.state === 'excluded' || node.state === 'malformed') return node;

    if (ancestors.includes(name)) {
      node.repeat = 'cycle';
      return node;
    }
    // Children only where the breadth-first walk followed this mod.
    if (graph.via.get(name) !== edge) {
      if (graph.expanded.has(name)) node.repeat = 'seen';
      return node;
    }
    if (graph.needFull.has(name)) {
      node.pending = true;
      return node;
    }
    const path = [...ancestors, name];
    node.children = (graph.out.get(name) ?? []).map((e) =>
      this.node(e, graph, constraints, problems, path, name, depth + 1, needAny),
    );
    return node;
  }
}

/** Resolves the dependency tree of an info.json. Pure: every fact comes through `lookup`. */
export function resolveDependencies(input: ResolveInput): Resolution {
  return new Resolver(input).resolve();
}

/** Every node of a resolution, depth first. */
export function* walkNodes(nodes: readonly DependencyNode[]): Generator<DependencyNode> {
  for (const n of nodes) {
    yield n;
    yield* walkNodes(n.children);
  }
}
