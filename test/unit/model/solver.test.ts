import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { solveDependencies, type SolveInput, type SolveResult, type SolverRelease, type SolverSource } from '../../../src/model/solver';

/** Releases by version: `[factorio_version, ...dependencies]`, or just the dependencies (Factorio 2.0). */
type Spec = Record<string, Record<string, string[] | { fv: string; deps: string[] }>>;

interface Payload {
  file: string;
}

interface CountingSource extends SolverSource<Payload> {
  calls: string[];
  maxInFlight: number;
}

/** A portal in memory; each answer takes a few turns of the event loop (more for some names) so answers interleave. */
function source(spec: Spec, options: { fail?: Set<string>; turns?: (name: string) => number } = {}): CountingSource {
  let inFlight = 0;
  const s: CountingSource = {
    calls: [],
    maxInFlight: 0,
    async releases(name) {
      s.calls.push(name);
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      try {
        const turns = options.turns?.(name) ?? 1;
        for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
        if (options.fail?.has(name)) throw new Error('HTTP 503 Service Unavailable');
        const mod = spec[name];
        if (!mod) return undefined;
        return Object.entries(mod).map(([version, r]): SolverRelease<Payload> => {
          const { fv, deps } = Array.isArray(r) ? { fv: '2.0', deps: r } : r;
          return { version, factorioVersion: fv, dependencies: deps, payload: { file: `${name}_${version}.zip` } };
        });
      } finally {
        inFlight--;
      }
    },
  };
  return s;
}

function solve(
  dependencies: string[],
  spec: Spec,
  extra: Partial<SolveInput<Payload>> = {},
): { result: Promise<SolveResult<Payload>>; src: CountingSource } {
  const src = (extra.source as CountingSource | undefined) ?? source(spec);
  return { result: solveDependencies({ factorioVersion: '2.0', dependencies, ...extra, source: src }), src };
}

/** name@version of each chosen mod, sorted by name. */
function picked(result: SolveResult<Payload>): string[] {
  assert.ok(result.ok, result.ok ? '' : result.failure.message);
  return result.mods.map((m) => `${m.name}@${m.version}`);
}

function failure(result: SolveResult<Payload>) {
  assert.ok(!result.ok, 'expected a failure');
  return result.failure;
}

function conflictText(result: SolveResult<Payload>): string {
  const f = failure(result);
  assert.equal(f.kind, 'conflict', f.message);
  return f.kind === 'conflict' ? f.explanation.text : '';
}

describe('solveDependencies: choosing', () => {
  test('takes the newest release that loads in the Factorio version, and says who required each mod', async () => {
    const { result, src } = solve(['base >= 2.0.0', 'A >= 1.0.0', '? opt', '+ rec'], {
      A: { '1.0.0': ['B'], '1.1.0': ['B >= 1.2.0'], '2.0.0': { fv: '2.1', deps: [] } },
      B: { '1.2.0': [], '1.3.0': { fv: '1.1', deps: [] }, '1.2.5': ['~ C'] },
      C: { '0.1.0': [] },
      opt: { '1.0.0': [] },
      rec: { '1.0.0': [] },
    });
    const r = await result;
    assert.deepEqual(picked(r), ['A@1.1.0', 'B@1.2.5', 'C@0.1.0', 'base@2.0']);
    assert.ok(r.ok);
    const byName = new Map(r.mods.map((m) => [m.name, m]));
    assert.deepEqual(byName.get('A')!.release?.payload, { file: 'A_1.1.0.zip' });
    assert.equal(byName.get('A')!.origin, 'portal');
    assert.deepEqual(byName.get('A')!.requiredBy, [{ dependency: 'A >= 1.0.0' }]);
    assert.deepEqual(byName.get('B')!.requiredBy, [{ mod: 'A', version: '1.1.0', dependency: 'B >= 1.2.0' }]);
    assert.deepEqual(byName.get('C')!.requiredBy, [{ mod: 'B', version: '1.2.5', dependency: '~ C' }]);
    assert.equal(byName.get('base')!.origin, 'builtin');
    // Optional (not chosen) and recommended dependencies are never asked for; built-ins never.
    assert.deepEqual([...src.calls].sort(), ['A', 'B', 'C']);
  });

  test('a 0.18 release loads in 1.0', async () => {
    const { result } = solve(['A'], { A: { '0.18.3': { fv: '0.18', deps: [] }, '1.1.0': { fv: '1.1', deps: [] } } }, { factorioVersion: '1.0' });
    assert.deepEqual(picked(await result), ['A@0.18.3']);
  });

  test('an overhaul with 30+ dependencies over several levels: one request per mod, at most 4 at once', async () => {
    const spec: Spec = {};
    const libs = Array.from({ length: 6 }, (_, i) => `lib-${i}`);
    for (const lib of libs) spec[lib] = { '1.0.0': ['base >= 2.0.0'], '1.1.0': ['base >= 2.0.0'], '1.2.0': { fv: '1.1', deps: [] } };
    const parts: string[] = [];
    for (let i = 0; i < 32; i++) {
      const name = `overhaul-part-${String(i).padStart(2, '0')}`;
      parts.push(name);
      const deps = [`${libs[i % libs.length]} >= 1.0.0`, '? not-chosen'];
      if (i >= 8) deps.push(`overhaul-part-${String(i % 8).padStart(2, '0')} >= 2.0.0`);
      if (i >= 24) deps.push(`~ overhaul-part-${String(i - 16).padStart(2, '0')}`);
      spec[name] = { '1.0.0': deps.slice(0, 1), '2.0.0': deps, '2.1.0': { fv: '2.1', deps: [] } };
    }
    spec['overhaul'] = { '3.0.0': ['base >= 2.0.0', 'space-age', ...parts.map((p) => `${p} >= 2.0.0`), '! old-overhaul'] };
    spec['old-overhaul'] = { '1.0.0': [] };
    spec['not-chosen'] = { '1.0.0': [] };
    const src = source(spec, { turns: (name) => name.length % 5 });
    const { result } = solve(['overhaul'], spec, { source: src });
    const r = await result;
    const names = picked(r).map((p) => p.split('@')[0]);
    assert.equal(names.length, 1 + 32 + 6 + 4); // the overhaul, its parts, the libraries, base + space-age + elevated-rails + quality
    assert.ok(r.ok);
    for (const m of r.mods) {
      if (m.name.startsWith('overhaul-part')) assert.equal(m.version, '2.0.0');
      if (m.name.startsWith('lib-')) assert.equal(m.version, '1.1.0');
    }
    assert.equal(new Set(src.calls).size, src.calls.length, 'each mod asked once');
    assert.equal(src.calls.length, 1 + 32 + 6);
    assert.ok(!src.calls.includes('old-overhaul') && !src.calls.includes('not-chosen'));
    assert.ok(src.maxInFlight <= 4, `in flight: ${src.maxInFlight}`);
    assert.equal(src.maxInFlight, 4);
    assert.equal(r.stats.requests, src.calls.length);
  });

  test('a diamond where the newest choice must be undone', async () => {
    const spec: Spec = {
      A: { '1.0.0': ['C >= 1.0.0'], '2.0.0': ['C >= 2.0.0'] },
      B: { '1.0.0': ['C < 2.0.0'] },
      C: { '1.0.0': [], '1.5.0': [], '2.0.0': [] },
    };
    const r = await solve(['A', 'B'], spec).result;
    assert.deepEqual(picked(r), ['A@1.0.0', 'B@1.0.0', 'C@1.5.0']);
  });

  test('the result does not depend on the order answers arrive in', async () => {
    const spec: Spec = {
      A: { '1.0.0': ['C', 'D'], '2.0.0': ['C >= 2.0.0', 'D'] },
      B: { '1.0.0': ['C < 2.0.0', 'E'] },
      C: { '1.0.0': ['F'], '2.0.0': ['F >= 2.0.0'] },
      D: { '1.0.0': ['F'] },
      E: { '1.0.0': [] },
      F: { '1.0.0': [], '2.0.0': [] },
    };
    const runs = await Promise.all(
      [(n: string) => n.charCodeAt(0) % 4, (n: string) => 4 - (n.charCodeAt(0) % 4), () => 0].map(
        (turns) => solve(['A', 'B'], spec, { source: source(spec, { turns }) }).result,
      ),
    );
    const strip = (r: SolveResult<Payload>) => (r.ok ? r.mods : r.failure);
    assert.deepEqual(strip(runs[0]!), strip(runs[1]!));
    assert.deepEqual(strip(runs[0]!), strip(runs[2]!));
    assert.deepEqual(picked(runs[0]!), ['A@1.0.0', 'B@1.0.0', 'C@1.0.0', 'D@1.0.0', 'E@1.0.0', 'F@2.0.0']);
  });
});

describe('solveDependencies: conflicts', () => {
  test('an incompatibility declared by the chosen release is avoided by an older one', async () => {
    const r = await solve(['A', 'B'], { A: { '1.0.0': [], '2.0.0': ['! B'] }, B: { '1.0.0': [] } }).result;
    assert.deepEqual(picked(r), ['A@1.0.0', 'B@1.0.0']);
  });

  test('an incompatibility declared the other way round', async () => {
    const r = await solve(['A', 'B'], { A: { '1.0.0': [], '2.0.0': [] }, B: { '1.0.0': ['! A'], '0.9.0': [] } }).result;
    assert.deepEqual(picked(r), ['A@2.0.0', 'B@0.9.0']);
  });

  test('the example conflict: a requirement nothing else allows', async () => {
    const spec: Spec = {
      A: { '2.1.0': ['B >= 3.0.0'] },
      B: { '2.0.0': [], '3.0.0': [] },
      C: { '1.4.0': ['! B'] },
    };
    const r = await solve(['A', 'C'], spec, { rootName: 'my-mod' }).result;
    assert.equal(conflictText(r), 'A 2.1.0 requires B >= 3.0.0; C 1.4.0 declares ! B; my-mod requires A; my-mod requires C');
    const f = failure(r);
    assert.equal(f.message, `No set of releases satisfies every dependency: ${conflictText(r)}`);
    assert.ok(f.kind === 'conflict');
    assert.deepEqual(f.explanation.facts.map((x) => [x.mod, x.versions, x.verb, x.target]), [
      [undefined, [], 'requires', 'A'],
      [undefined, [], 'requires', 'C'],
      ['A', ['2.1.0'], 'requires', 'B'],
      ['C', ['1.4.0'], 'forbids', 'B'],
    ]);
  });

  test('the explanation keeps only the facts that matter and names every release they hold for', async () => {
    const spec: Spec = {
      A: { '1.0.0': ['B >= 3.0.0', 'X'], '1.1.0': ['B >= 3.0.0', 'X'], '2.0.0': ['B >= 3.1.0', 'Y'] },
      B: { '1.0.0': [], '2.0.0': [], '2.5.0': [] },
      X: { '1.0.0': [] },
      Y: { '1.0.0': ['X'] },
      Z: { '1.0.0': [] },
    };
    const r = await solve(['A', 'Z'], spec).result;
    assert.equal(
      conflictText(r),
      'A 1.0.0 and 1.1.0 require B >= 3.0.0; A 2.0.0 requires B >= 3.1.0; B has 1.0.0, 2.0.0, 2.5.0 for Factorio 2.0; this mod requires A',
    );
  });

  test('a fact that holds for many releases is one short line', async () => {
    const releases = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`1.${i}.0`, ['lib >= 2.0.0']]));
    const r = await solve(['A'], { A: releases, lib: { '1.0.0': [] } }).result;
    assert.equal(conflictText(r), 'A 1.0.0 to 1.6.0 (7 releases) require lib >= 2.0.0; lib has 1.0.0 for Factorio 2.0; this mod requires A');
  });

  test('a constraint nothing satisfies', async () => {
    const r = await solve(['A >= 2.0.0'], { A: { '1.0.0': [], '1.5.0': [], '2.0.0': { fv: '2.1', deps: [] } } }).result;
    assert.equal(conflictText(r), 'this mod requires A >= 2.0.0; A has 1.0.0, 1.5.0 for Factorio 2.0');
  });

  test('no release for the Factorio version', async () => {
    const r = await solve(['A'], { A: { '1.0.0': { fv: '1.1', deps: [] } } }).result;
    assert.equal(conflictText(r), 'this mod requires A; A has no release for Factorio 2.0');
  });

  test('required dependencies that form a cycle are refused; an older release without it is taken', async () => {
    const spec: Spec = { A: { '1.0.0': ['B'] }, B: { '1.0.0': [], '2.0.0': ['A'] } };
    assert.deepEqual(picked(await solve(['A'], spec).result), ['A@1.0.0', 'B@1.0.0']);
    const only: Spec = { A: { '1.0.0': ['B'] }, B: { '2.0.0': ['C'] }, C: { '1.0.0': ['A >= 1.0.0'] } };
    assert.equal(
      conflictText(await solve(['A'], only).result),
      'A → B → C → A is a load-order cycle, which the game refuses; this mod requires A; A 1.0.0 requires B; B 2.0.0 requires C; C 1.0.0 requires A >= 1.0.0',
    );
  });

  test('a cycle through ~ is allowed: it does not order loading', async () => {
    const spec: Spec = { A: { '1.0.0': ['B'] }, B: { '1.0.0': ['~ A'] } };
    assert.deepEqual(picked(await solve(['A'], spec).result), ['A@1.0.0', 'B@1.0.0']);
  });

  test('a cycle back to the root mod', async () => {
    const spec: Spec = { A: { '1.0.0': ['my-mod >= 1.0.0'] } };
    assert.equal(
      conflictText(await solve(['A'], spec, { rootName: 'my-mod', rootVersion: '1.2.0' }).result),
      'my-mod → A → my-mod is a load-order cycle, which the game refuses; my-mod requires A; A 1.0.0 requires my-mod >= 1.0.0',
    );
    const tilde: Spec = { A: { '1.0.0': ['~ my-mod >= 1.0.0'] } };
    assert.deepEqual(picked(await solve(['A'], tilde, { rootName: 'my-mod', rootVersion: '1.2.0' }).result), ['A@1.0.0']);
    const tooNew: Spec = { A: { '1.0.0': ['~ my-mod >= 2.0.0'] } };
    assert.equal(
      conflictText(await solve(['A'], tooNew, { rootName: 'my-mod', rootVersion: '1.2.0' }).result),
      'my-mod requires A; A 1.0.0 requires ~ my-mod >= 2.0.0',
    );
  });

  test('a present optional dependency of a non-matching version: backtrack, else explain', async () => {
    const spec: Spec = {
      A: { '1.0.0': ['? D'], '2.0.0': ['? D >= 2.0.0'] },
      D: { '1.5.0': [] },
    };
    assert.deepEqual(picked(await solve(['A', 'D'], spec).result), ['A@1.0.0', 'D@1.5.0']);
    // Absent, it does not matter and is not asked for.
    const absent = solve(['A'], spec);
    assert.deepEqual(picked(await absent.result), ['A@2.0.0']);
    assert.deepEqual(absent.src.calls, ['A']);
    const only: Spec = { A: { '2.0.0': ['? D >= 2.0.0'] }, D: { '1.5.0': [] } };
    assert.equal(
      conflictText(await solve(['A', 'D'], only).result),
      'this mod requires D; A 2.0.0 declares ? D >= 2.0.0 (a present D of another version disables it); D has 1.5.0 for Factorio 2.0; this mod requires A',
    );
  });

  test('optional dependencies of the root: chosen ones are installed with their constraint, others only constrain', async () => {
    const spec: Spec = { E: { '1.0.0': [], '2.0.0': [] }, F: { '1.0.0': [] }, G: { '1.0.0': ['F'] } };
    const chosen = solve(['? E < 2.0.0', '(?) F >= 2.0.0'], spec, { chosenOptional: ['E'] });
    assert.deepEqual(picked(await chosen.result), ['E@1.0.0']);
    assert.deepEqual(chosen.src.calls, ['E']);
    assert.equal(
      conflictText(await solve(['G', '(?) F >= 2.0.0'], spec).result),
      'this mod declares (?) F >= 2.0.0 (a present F of another version disables it); G 1.0.0 requires F; F has 1.0.0 for Factorio 2.0; this mod requires G',
    );
    assert.equal(
      conflictText(await solve(['? E > 2.0.0'], spec, { chosenOptional: ['E'] }).result),
      'this mod declares ? E > 2.0.0, chosen to be installed; E has 1.0.0, 2.0.0 for Factorio 2.0',
    );
  });
});

describe('solveDependencies: built-in, workspace and installed mods', () => {
  test('built-in mods follow the Factorio version', async () => {
    const r20 = await solve(['space-age'], {}).result;
    assert.deepEqual(picked(r20), ['base@2.0', 'elevated-rails@2.0', 'quality@2.0', 'space-age@2.0']);
    assert.ok(r20.ok && r20.mods.every((m) => m.origin === 'builtin' && m.release === undefined));
    assert.equal(conflictText(await solve(['recycler'], {}).result), 'this mod requires recycler; recycler is not part of Factorio 2.0');
    assert.deepEqual(picked(await solve(['recycler', 'quality'], {}, { factorioVersion: '2.1' }).result), [
      'base@2.1',
      'quality@2.1',
      'recycler@2.1',
    ]);
    assert.equal(conflictText(await solve(['space-age'], {}, { factorioVersion: '1.1' }).result), 'this mod requires space-age; space-age is not part of Factorio 1.1');
    assert.equal(
      conflictText(await solve(['A'], { A: { '1.0.0': ['base >= 2.1.0'] } }).result),
      'A 1.0.0 requires base >= 2.1.0; base comes with the game: 2.0.x; this mod requires A',
    );
    assert.deepEqual(picked(await solve(['base >= 2.0.40'], {}).result), ['base@2.0']);
  });

  test('a workspace mod is used as it is, never asked for, and its dependencies are followed', async () => {
    const spec: Spec = { X: { '1.0.0': [], '2.0.0': [] } };
    const run = solve(['W >= 1.0.0'], spec, { workspace: [{ name: 'W', version: '1.2.0', dependencies: ['X < 2.0.0'] }] });
    const r = await run.result;
    assert.deepEqual(picked(r), ['W@1.2.0', 'X@1.0.0']);
    assert.ok(r.ok && r.mods[0]!.origin === 'workspace');
    assert.deepEqual(run.src.calls, ['X']);
    assert.equal(
      conflictText(await solve(['W >= 2.0.0'], spec, { workspace: [{ name: 'W', version: '1.2.0', dependencies: [] }] }).result),
      "this mod requires W >= 2.0.0; W is the workspace's 1.2.0",
    );
  });

  test('an installed version that satisfies is kept; one that does not is updated', async () => {
    const spec: Spec = { A: { '1.0.0': [], '2.0.0': [] }, B: { '1.0.0': [], '2.0.0': [] } };
    const r = await solve(['A', 'B >= 2.0.0', 'L'], spec, {
      installed: [
        { name: 'A', version: '1.0.0' },
        { name: 'B', version: '1.0.0' },
        { name: 'L', version: '0.3.0' },
      ],
    }).result;
    assert.ok(r.ok, r.ok ? '' : r.failure.message);
    const byName = new Map(r.mods.map((m) => [m.name, m]));
    assert.deepEqual(
      [...byName.values()].map((m) => [m.name, m.version, m.origin, m.installedVersion, m.release?.payload.file]),
      [
        ['A', '1.0.0', 'installed', undefined, 'A_1.0.0.zip'],
        ['B', '2.0.0', 'portal', '1.0.0', 'B_2.0.0.zip'],
        // Not on the portal: the installed copy is all there is.
        ['L', '0.3.0', 'installed', undefined, undefined],
      ],
    );
  });

  test('mods the portal does not have: every one at once, with who requires each', async () => {
    const spec: Spec = {
      A: { '1.0.0': ['ghost >= 1.0.0', 'B'] },
      B: { '1.0.0': ['C'] },
      // Found only a round after the first missing mod: the search goes on past it.
      C: { '1.0.0': ['ghost-2', 'ghost'] },
      D: { '1.0.0': [], '2.0.0': ['ghost-3'] },
    };
    const f = failure(await solve(['A', 'D', 'ghost-2'], spec).result);
    assert.equal(f.kind, 'missing', f.message);
    assert.ok(f.kind === 'missing');
    assert.deepEqual(
      f.missing.map((m) => [m.name, m.requiredBy.map((r) => `${r.mod ?? 'root'} ${r.version ?? ''}`.trim())]),
      [
        ['ghost', ['A 1.0.0', 'C 1.0.0']],
        ['ghost-2', ['root', 'C 1.0.0']],
      ],
    );
    assert.equal(f.message, '2 required mods are not on the mod portal: ghost (required by A 1.0.0, C 1.0.0); ghost-2 (required by this mod, C 1.0.0)');
    // A missing mod an older release avoids is no failure at all.
    assert.deepEqual(picked(await solve(['D'], spec).result), ['D@1.0.0']);
    // A conflict elsewhere is explained as a conflict, missing mods or not.
    const both = failure(await solve(['A', 'E', 'F'], { ...spec, E: { '1.0.0': ['! F'] }, F: { '1.0.0': [] } }).result);
    assert.equal(both.kind, 'conflict', both.message);
  });
});

describe('solveDependencies: failures that are not conflicts', () => {
  test('a portal failure is a failure, never an unknown mod', async () => {
    const spec: Spec = { A: { '1.0.0': ['B', 'C'] }, B: { '1.0.0': [] }, C: { '1.0.0': [] } };
    const src = source(spec, { fail: new Set(['B']) });
    const f = failure(await solve(['A'], spec, { source: src }).result);
    assert.equal(f.kind, 'source');
    assert.ok(f.kind === 'source' && f.mod === 'B');
    assert.equal(f.message, 'Could not read B from the mod portal: HTTP 503 Service Unavailable');
  });

  test('a search budget ends a hostile search with a clear failure', async () => {
    // Pigeonholes: 9 mods each pick one of 8 slots (a release per slot), and a slot mod can
    // have only one version, so two mods cannot share a slot. Impossible, and only found
    // so by trying a great many placements.
    const spec: Spec = {};
    const deps: string[] = [];
    for (let slot = 0; slot < 8; slot++) spec[`slot${slot}`] = Object.fromEntries(Array.from({ length: 9 }, (_, p) => [`1.${p}.0`, []]));
    for (let p = 0; p < 9; p++) {
      spec[`pigeon${p}`] = Object.fromEntries(Array.from({ length: 8 }, (_, slot) => [`1.${slot}.0`, [`slot${slot} = 1.${p}.0`]]));
      deps.push(`pigeon${p}`);
    }
    const f = failure(await solve(deps, spec, { maxSteps: 20_000 }).result);
    assert.equal(f.kind, 'budget');
    assert.match(f.message, /^Gave up resolving the dependencies after 20\d\d\d steps$/);
    assert.ok(f.kind === 'budget' && f.steps < 20_000 + 4 * 18 + 1, `steps: ${f.kind === 'budget' ? f.steps : ''}`);
    const small = failure(await solve(['pigeon0'], spec, { maxSteps: 0 }).result);
    assert.equal(small.kind, 'budget');
  });

  test('backjumping: a conflict blamed on one early choice does not retry the choices in between', async () => {
    // Every release of M1..M12 pins H to a version H does not have; M1 alone already fails.
    const spec: Spec = { H: { '9.0.0': [] } };
    const deps: string[] = [];
    for (let i = 1; i <= 12; i++) {
      spec[`M${i}`] = Object.fromEntries(Array.from({ length: 8 }, (_, v) => [`1.${v}.0`, [`H = 1.${v}.0`]]));
      deps.push(`M${i}`);
    }
    const r = await solve(deps, spec).result;
    assert.equal(
      conflictText(r),
      'M1 1.0.0 requires H = 1.0.0; M1 1.1.0 requires H = 1.1.0; M1 1.2.0 requires H = 1.2.0; M1 1.3.0 requires H = 1.3.0; ' +
        'M1 1.4.0 requires H = 1.4.0; M1 1.5.0 requires H = 1.5.0; M1 1.6.0 requires H = 1.6.0; M1 1.7.0 requires H = 1.7.0; H has 9.0.0 for Factorio 2.0; this mod requires M1',
    );
    assert.ok(r.stats.lastRoundSteps < 1000, `steps: ${r.stats.lastRoundSteps}`);
  });

  test('cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const f = failure(await solve(['A'], { A: { '1.0.0': [] } }, { signal: controller.signal }).result);
    assert.equal(f.kind, 'cancelled');
    assert.equal(f.message, 'Resolving the dependencies was cancelled');
  });

  test('a factorio_version that is not A.B', async () => {
    const f = failure(await solve(['A'], {}, { factorioVersion: '2.0.1' }).result);
    assert.equal(f.kind, 'invalid');
    assert.equal(f.message, 'factorio_version must be "A.B" such as "2.0": the mod portal rejects a third number');
  });
});

describe('solveDependencies: against exhaustive search on small random graphs', () => {
  /** Every way to pick, for each mod, nothing (unless `everyMod`) or one release; true when one of them loads. */
  function bruteForce(root: string[], spec: Spec, everyMod = false): boolean {
    const names = Object.keys(spec);
    const parse = (text: string) => {
      const m = /^(!|\?|~)? ?([A-Za-z]+)(?: (>=|<|=) (\d+\.\d+\.\d+))?$/.exec(text)!;
      return { prefix: m[1] ?? '', name: m[2]!, op: m[3], version: m[4] };
    };
    const num = (v: string): number => Number(v.split('.')[1]);
    const fits = (version: string, op?: string, bound?: string): boolean =>
      !op || (op === '>=' ? num(version) >= num(bound!) : op === '<' ? num(version) < num(bound!) : num(version) === num(bound!));
    const choices = names.map((n) => [...(everyMod ? [] : [undefined]), ...Object.keys(spec[n]!)]);
    const pick = new Map<string, string | undefined>();
    const valid = (): boolean => {
      const edges = new Map<string, string[]>();
      const declared = (owner: string, deps: string[]): boolean => {
        for (const d of deps.map(parse)) {
          const there = pick.get(d.name);
          if (d.prefix === '!' && there !== undefined) return false;
          if ((d.prefix === '' || d.prefix === '~') && (there === undefined || !fits(there, d.op, d.version))) return false;
          if (d.prefix === '?' && there !== undefined && !fits(there, d.op, d.version)) return false;
          if ((d.prefix === '' || d.prefix === '?') && there !== undefined) edges.set(owner, [...(edges.get(owner) ?? []), d.name]);
        }
        return true;
      };
      if (!declared('', root)) return false;
      for (const [n, v] of pick) if (v !== undefined && !declared(n, spec[n]![v] as string[])) return false;
      const state = new Map<string, number>();
      const cyclic = (n: string): boolean => {
        state.set(n, 1);
        for (const t of edges.get(n) ?? []) if (state.get(t) === 1 || (state.get(t) === undefined && cyclic(t))) return true;
        state.set(n, 2);
        return false;
      };
      return ![...edges.keys()].some((n) => state.get(n) === undefined && cyclic(n));
    };
    const walk = (i: number): boolean => {
      if (i === names.length) return valid();
      for (const c of choices[i]!) {
        pick.set(names[i]!, c);
        if (walk(i + 1)) return true;
      }
      return false;
    };
    return walk(0);
  }

  test('the solver finds a set exactly when one exists, and the set it finds loads', async () => {
    let state = 12345;
    const random = (n: number): number => {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      return state % n;
    };
    const mods = ['A', 'B', 'C', 'D', 'E'];
    let solvable = 0;
    for (let round = 0; round < 300; round++) {
      const spec: Spec = {};
      for (const name of mods) {
        const releases: Record<string, string[]> = {};
        for (let v = 1; v <= 1 + random(3); v++) {
          const deps: string[] = [];
          for (const other of mods) {
            if (other === name || random(4) !== 0) continue;
            const prefix = ['', '', '~', '!', '?'][random(5)]!;
            const op = ['', '>=', '<', '='][random(4)]!;
            deps.push(`${prefix ? `${prefix} ` : ''}${other}${op && prefix !== '!' ? ` ${op} 1.${1 + random(3)}.0` : ''}`);
          }
          releases[`1.${v}.0`] = deps;
        }
        spec[name] = releases;
      }
      const root = mods.filter(() => random(3) === 0);
      if (root.length === 0) root.push('A');
      const r = await solve(root, spec).result;
      const expected = bruteForce(root, spec);
      assert.equal(r.ok, expected, `round ${round}: ${JSON.stringify({ root, spec })}\n${r.ok ? '' : r.failure.message}`);
      if (r.ok) {
        solvable++;
        const chosen = Object.fromEntries(r.mods.map((m) => [m.name, m.version]));
        const only: Spec = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, { [v]: spec[n]![v]! }]));
        assert.ok(bruteForce(root, only, true), `round ${round}: the chosen set does not load: ${JSON.stringify(chosen)}`);
      } else {
        assert.equal(r.failure.kind, 'conflict');
      }
    }
    assert.ok(solvable > 50 && solvable < 250, `solvable: ${solvable}`);
  });
});

describe('solveDependencies: real graph sizes', () => {
  /** Records answered at once, from memory: no turn of the event loop unless the solver gives one. */
  function memory(records: Map<string, SolverRelease<Payload>[]>): SolverSource<Payload> {
    return { releases: (name) => Promise.resolve(records.get(name)) };
  }
  const release = (name: string, version: string, deps: string[]): SolverRelease<Payload> => ({ version, factorioVersion: '2.0', dependencies: deps, payload: { file: `${name}_${version}.zip` } });

  /** Turns of the event loop while `work` runs. */
  async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
    let turns = 0;
    let running = true;
    const tick = (): void => {
      if (!running) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    try {
      return { value: await work(), turns };
    } finally {
      running = false;
    }
  }

  test('a root with 20,000 dependencies: solved without recursion, the event loop turning throughout', async () => {
    const records = new Map<string, SolverRelease<Payload>[]>();
    const deps: string[] = ['base'];
    for (let i = 0; i < 20_000; i++) {
      const name = `mod-${i}`;
      deps.push(`${name} >= 1.0.0`);
      records.set(name, [release(name, '1.0.0', ['base >= 2.0.0']), release(name, '1.1.0', ['base >= 2.0.0', `? mod-${(i + 1) % 20_000}`])]);
    }
    // A clock that moves 1 ms a reading: slices end by count, the same on any machine.
    let t = 0;
    const { value: r, turns } = await turnsDuring(() => solveDependencies({ factorioVersion: '2.0', dependencies: deps, source: memory(records), clock: () => t++, sliceMs: 20 }));
    assert.ok(r.ok, r.ok ? '' : r.failure.message);
    assert.equal(r.mods.length, 20_001);
    // Each 1.1.0 loads after the next mod (an optional dependency orders loading): the ring closes at the last one.
    assert.deepEqual(r.mods.filter((m) => m.version === '1.0.0').map((m) => m.name), ['mod-19999']);
    assert.equal(r.stats.rounds, 2);
    // Every stretch of work ended within its slice (by the counting clock), and the host ran in between.
    assert.ok(r.stats.slices > 100, `slices: ${r.stats.slices}`);
    assert.ok(r.stats.longestSliceMs <= 20 + 260, `longest slice: ${r.stats.longestSliceMs}`);
    assert.ok(turns > 100, `turns: ${turns}, slices: ${r.stats.slices}`);
  });

  test('a chain 2,000 deep: one round per level, work (and the budget) linear in the depth', async () => {
    const records = new Map<string, SolverRelease<Payload>[]>();
    const depth = 2_000;
    for (let i = 0; i < depth; i++) {
      const name = `link-${i}`;
      const next = i + 1 < depth ? [`link-${i + 1} >= 1.0.0`] : [];
      records.set(name, [release(name, '1.0.0', next), release(name, '2.0.0', [...next, '! link-0'])]);
    }
    const r = await solveDependencies({ factorioVersion: '2.0', dependencies: ['link-0'], source: memory(records), maxSteps: 1_000 });
    assert.ok(r.ok, r.ok ? '' : r.failure.message);
    assert.equal(r.mods.length, depth);
    assert.ok(r.mods.every((m) => m.version === (m.name === 'link-0' ? '2.0.0' : '1.0.0')));
    assert.equal(r.stats.rounds, depth + 1);
    // Each level: its guess, then its two releases. From scratch it would be depth² / 2.
    assert.ok(r.stats.steps <= 4 * depth, `steps: ${r.stats.steps}`);
  });

  test('cancelled while searching: stops at the next slice', async () => {
    const records = new Map<string, SolverRelease<Payload>[]>();
    const deps: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      records.set(`m${i}`, [release(`m${i}`, '1.0.0', [])]);
      deps.push(`m${i}`);
    }
    const controller = new AbortController();
    let t = 0;
    let slicesSeen = 0;
    const clock = (): number => {
      // The abort comes from outside, between two slices, as a Cancel button's would.
      if (t++ === 50) setImmediate(() => controller.abort());
      slicesSeen++;
      return t;
    };
    const r = await solveDependencies({ factorioVersion: '2.0', dependencies: deps, source: memory(records), clock, sliceMs: 10, signal: controller.signal });
    assert.ok(!r.ok && r.failure.kind === 'cancelled', r.ok ? 'solved' : r.failure.message);
    assert.ok(r.stats.steps < 5_000, `steps: ${r.stats.steps}`);
    assert.ok(slicesSeen > 0);
  });

  test('a conflict among thousands of root dependencies: the explanation keeps what the conflict needs, the cause first', async () => {
    const spec: Spec = { A: { '1.0.0': ['B >= 2.0.0'] }, B: { '1.0.0': [] }, C: { '1.0.0': ['! B'] } };
    const deps = ['A'];
    for (let i = 0; i < 3_000; i++) {
      spec[`other-${i}`] = { '1.0.0': [] };
      deps.push(`other-${i}`);
    }
    const r = await solve(deps, spec).result;
    const f = failure(r);
    assert.ok(f.kind === 'conflict', f.message);
    assert.equal(f.explanation.text, 'A 1.0.0 requires B >= 2.0.0; B has 1.0.0 for Factorio 2.0; this mod requires A');
    assert.ok(r.stats.explanationChecks < 200, `checks: ${r.stats.explanationChecks}`);
    void spec.C;
  });

  test('a long explanation shows 10 lines and "and N more"; the log gets every line', async () => {
    const spec: Spec = { X: { '1.0.0': [] } };
    for (let i = 0; i < 15; i++) spec[`step-${i}`] = { '1.0.0': [i < 14 ? `step-${i + 1}` : 'X >= 2.0.0'] };
    const f = failure(await solve(['step-0'], spec).result);
    assert.ok(f.kind === 'conflict', f.message);
    const lines = f.explanation.text.split('; ');
    assert.equal(lines.length, 11);
    assert.equal(lines[0], 'step-14 1.0.0 requires X >= 2.0.0');
    assert.equal(lines[1], 'X has 1.0.0 for Factorio 2.0');
    assert.equal(lines[10], 'and 7 more');
    assert.equal(f.explanation.full.split('\n').length, 17);
    assert.ok(f.explanation.full.includes('step-3 1.0.0 requires step-4'));
  });

  test('a malformed dependency string of a chosen release is a warning naming the mod and the string', async () => {
    const r = await solve(['A'], { A: { '1.0.0': ['B', '>= 1.0 nonsense', '? '] }, B: { '1.0.0': [] } }).result;
    assert.deepEqual(picked(r), ['A@1.0.0', 'B@1.0.0']);
    assert.ok(r.ok);
    assert.deepEqual(
      r.warnings.map((w) => [w.mod, w.version, w.dependency]),
      [
        ['A', '1.0.0', '>= 1.0 nonsense'],
        ['A', '1.0.0', '? '],
      ],
    );
    assert.equal(r.warnings[0]!.message, 'A 1.0.0 declares ">= 1.0 nonsense", which is not a valid dependency; it was ignored');
  });

  test('an optional dependency without a version in a load-order cycle is explained by the order it sets', async () => {
    const r = await solve(['A'], { A: { '1.0.0': ['B'] }, B: { '1.0.0': ['? A'] } }).result;
    assert.equal(
      conflictText(r),
      'A → B → A is a load-order cycle, which the game refuses; this mod requires A; A 1.0.0 requires B; B 1.0.0 declares ? A (a present A loads before it)',
    );
  });
});
