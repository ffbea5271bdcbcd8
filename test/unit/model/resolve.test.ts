import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Release } from '../../../src/portal/types';
import { resolveDependencies, walkNodes, type DependencyNode, type ResolveFacts, type Resolution } from '../../../src/model/resolve';
import { release as releaseOf } from '../builders';

const release = (version: string, factorio: string, dependencies: string[] = []): Release => releaseOf(version, factorio, dependencies);

type Portal = Record<string, Release[] | 'missing'>;

function lookupOf(portal: Portal, options: { short?: string[] } = {}): (name: string) => ResolveFacts {
  return (name) => {
    const entry = portal[name];
    if (entry === undefined) return { state: 'unknown' };
    if (entry === 'missing') return { state: 'missing' };
    return { state: 'found', releases: entry, dependenciesKnown: !options.short?.includes(name) };
  };
}

function find(resolution: Resolution, path: string[]): DependencyNode {
  let nodes = resolution.roots;
  let found: DependencyNode | undefined;
  for (const name of path) {
    found = nodes.find((n) => n.name === name);
    assert.ok(found, `no node ${name} in ${nodes.map((n) => n.name).join(', ')} (path ${path.join(' / ')})`);
    nodes = found.children;
  }
  return found!;
}

const LIB: Release[] = [
  release('1.0.0', '2.0', ['base >= 2.0.0']),
  release('1.2.1', '2.0', ['base >= 2.0.0']),
  release('1.4.2', '2.0', ['base >= 2.0.0', 'helper >= 0.2.0']),
  release('0.9.3', '1.1', ['base >= 1.1.0']),
];
const HELPER: Release[] = [release('0.1.0', '2.0'), release('0.2.0', '2.0')];

describe('resolveDependencies', () => {
  test('selects the newest compatible release and follows its dependencies', () => {
    const r = resolveDependencies({
      rootName: 'my-mod',
      factorioVersion: '2.0',
      dependencies: ['base >= 2.0', 'lib >= 1.2.0'],
      lookup: lookupOf({ lib: LIB, helper: HELPER }),
    });
    const lib = find(r, ['lib']);
    assert.equal(lib.state, 'resolved');
    assert.equal(lib.version, '1.4.2');
    assert.equal(lib.constraint, '>= 1.2.0');
    assert.equal(lib.load, 'loaded');
    assert.deepEqual(lib.children.map((c) => c.name), ['base', 'helper']);
    assert.equal(find(r, ['lib', 'helper']).version, '0.2.0');
    assert.equal(find(r, ['base']).state, 'builtin');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.needFull, []);
    assert.deepEqual(new Set(r.loaded), new Set(['base', 'lib', 'helper']));
  });

  test('a 0.18 release counts for a 1.0 mod, and no factorio_version means any release', () => {
    const portal = { old: [release('0.1.0', '0.18'), release('0.2.0', '1.1')] };
    const in10 = resolveDependencies({ factorioVersion: '1.0', dependencies: ['old'], lookup: lookupOf(portal) });
    assert.equal(find(in10, ['old']).version, '0.1.0');
    const any = resolveDependencies({ dependencies: ['old'], lookup: lookupOf(portal) });
    assert.equal(find(any, ['old']).version, '0.2.0');
  });

  test('flags a required mod that another dependency declares incompatible', () => {
    const r = resolveDependencies({
      rootName: 'my-mod',
      factorioVersion: '2.0',
      dependencies: ['conflicting-mod', 'Mixed_Case-Mod'],
      lookup: lookupOf({
        'conflicting-mod': [release('1.0.0', '2.0', ['base >= 2.0.0', '! Mixed_Case-Mod'])],
        'Mixed_Case-Mod': [release('0.2.0', '2.0', ['base >= 2.0.0'])],
      }),
    });
    const conflicts = r.problems.filter((p) => p.code === 'incompatible');
    assert.equal(conflicts.length, 1);
    assert.equal(conflicts[0]!.severity, 'error');
    assert.deepEqual(conflicts[0]!.mods, ['conflicting-mod', 'Mixed_Case-Mod']);
    assert.match(conflicts[0]!.message, /conflicting-mod declares Mixed_Case-Mod incompatible, but my-mod requires it/);
    const declared = find(r, ['conflicting-mod', 'Mixed_Case-Mod']);
    assert.equal(declared.kind, 'incompatible');
    assert.equal(declared.state, 'excluded');
    assert.equal(declared.problems.length, 1);
    assert.equal(find(r, ['Mixed_Case-Mod']).problems.length, 1);
  });

  test('finds an incompatibility with a mod that is only required transitively', () => {
    const r = resolveDependencies({
      rootName: 'root',
      factorioVersion: '2.0',
      dependencies: ['a', 'c'],
      lookup: lookupOf({
        a: [release('1.0.0', '2.0', ['b'])],
        b: [release('1.0.0', '2.0')],
        c: [release('1.0.0', '2.0', ['! b'])],
      }),
    });
    const [problem] = r.problems;
    assert.equal(problem?.code, 'incompatible');
    assert.equal(problem?.severity, 'error');
    assert.match(problem!.message, /c declares b incompatible, but a requires it/);
  });

  test('an incompatibility with an optional dependency is a warning; one with an unloaded mod is nothing', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['a', '? b'],
      lookup: lookupOf({
        a: [release('1.0.0', '2.0', ['! b', '! c'])],
        b: [release('1.0.0', '2.0')],
      }),
    });
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'incompatible');
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.equal(find(r, ['b']).load, 'maybe');
  });

  test('the root declaring a required mod incompatible is a conflict', () => {
    const r = resolveDependencies({
      rootName: 'root',
      factorioVersion: '2.0',
      dependencies: ['a', '! b'],
      lookup: lookupOf({ a: [release('1.0.0', '2.0', ['b'])], b: [release('1.0.0', '2.0')] }),
    });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.message, /root declares b incompatible, but a requires it/);
  });

  test('optional dependencies further down are shown but not followed', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['a'],
      lookup: lookupOf({ a: [release('1.0.0', '2.0', ['? deep', '(?) hidden', '+ rec'])], deep: [release('1.0.0', '1.1', ['x'])] }),
    });
    const a = find(r, ['a']);
    assert.deepEqual(
      a.children.map((c) => [c.name, c.kind, c.load, c.children.length]),
      [
        ['deep', 'optional', 'no', 0],
        ['hidden', 'hidden-optional', 'no', 0],
        ['rec', 'recommended', 'no', 0],
      ],
    );
    // deep has no 2.0 release, but nothing loads it: no problem.
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.needFull, []);
    assert.deepEqual(new Set(r.needAny), new Set(['hidden', 'rec']));
  });

  test('a constraint nothing satisfies, from one declarer or from several', () => {
    const one = resolveDependencies({
      rootName: 'root',
      factorioVersion: '2.0',
      dependencies: ['lib >= 3.0.0'],
      lookup: lookupOf({ lib: LIB, helper: HELPER }),
    });
    assert.equal(find(one, ['lib']).state, 'unsatisfiable');
    assert.equal(one.problems[0]?.code, 'unsatisfiable');
    assert.match(one.problems[0]!.message, /No release of lib satisfies >= 3.0.0 \(root\)/);

    const two = resolveDependencies({
      rootName: 'root',
      factorioVersion: '2.0',
      dependencies: ['lib >= 1.4.0', 'a'],
      lookup: lookupOf({ lib: LIB, helper: HELPER, a: [release('1.0.0', '2.0', ['lib < 1.3.0'])] }),
    });
    const problem = two.problems.find((p) => p.code === 'unsatisfiable');
    assert.ok(problem, JSON.stringify(two.problems));
    assert.match(problem.message, />= 1.4.0 \(root\), < 1.3.0 \(a\)/);
    assert.equal(problem.severity, 'error');
  });

  test('a deeper constraint changes which release is selected, and so its dependencies', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['lib', 'a'],
      lookup: lookupOf({ lib: LIB, helper: HELPER, a: [release('1.0.0', '2.0', ['lib < 1.3.0'])] }),
    });
    const lib = find(r, ['lib']);
    assert.equal(lib.version, '1.2.1');
    assert.deepEqual(lib.children.map((c) => c.name), ['base'], 'helper comes only with 1.4.2');
    assert.deepEqual(r.problems, []);
    assert.ok(!r.loaded.includes('helper'));
  });

  test('no release for the Factorio version', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['legacy', '? legacy-optional'],
      lookup: lookupOf({ legacy: [release('1.0.0', '1.1')], 'legacy-optional': [release('1.0.0', '1.1')] }),
    });
    assert.equal(find(r, ['legacy']).state, 'no-release');
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.severity, p.mods[0]]),
      [
        ['no-release', 'error', 'legacy'],
        ['no-release', 'warning', 'legacy-optional'],
      ],
    );
  });

  test('cycles among loaded mods, including through the root; ~ does not order loading', () => {
    const r = resolveDependencies({
      rootName: 'root',
      factorioVersion: '2.0',
      dependencies: ['a', 'x'],
      lookup: lookupOf({
        a: [release('1.0.0', '2.0', ['b'])],
        b: [release('1.0.0', '2.0', ['a'])],
        x: [release('1.0.0', '2.0', ['root'])],
      }),
    });
    const cycles = r.problems.filter((p) => p.code === 'cycle');
    assert.equal(cycles.length, 2, JSON.stringify(cycles));
    assert.ok(cycles.some((c) => c.message === 'Circular dependency: a → b → a'));
    assert.ok(cycles.some((c) => c.mods.includes('x') && c.message.includes('root')));
    assert.equal(find(r, ['a', 'b', 'a']).repeat, 'cycle');
    assert.equal(find(r, ['x', 'root']).state, 'self');

    const noOrder = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['a'],
      lookup: lookupOf({ a: [release('1.0.0', '2.0', ['~ b'])], b: [release('1.0.0', '2.0', ['~ a'])] }),
    });
    assert.deepEqual(noOrder.problems, []);
  });

  test('a mod reached twice is followed once, at its shallowest place', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['a', 'lib'],
      lookup: lookupOf({ a: [release('1.0.0', '2.0', ['lib >= 1.0.0'])], lib: LIB, helper: HELPER }),
    });
    assert.equal(find(r, ['lib']).children.length, 2);
    const nested = find(r, ['a', 'lib']);
    assert.equal(nested.repeat, 'seen');
    assert.equal(nested.children.length, 0);
    assert.equal(nested.version, '1.4.2');
  });

  test('reports what it still needs: full data to follow, anything for leaves', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['short-only', 'never-seen'],
      lookup: lookupOf({ 'short-only': [release('1.0.0', '2.0', [])] }, { short: ['short-only'] }),
    });
    const shortOnly = find(r, ['short-only']);
    assert.equal(shortOnly.state, 'resolved');
    assert.equal(shortOnly.pending, true);
    assert.equal(find(r, ['never-seen']).state, 'unknown');
    assert.deepEqual(new Set(r.needFull), new Set(['short-only', 'never-seen']));
    assert.deepEqual(r.needAny, []);
  });

  test('a mod the portal does not have is a problem when loaded', () => {
    const r = resolveDependencies({
      factorioVersion: '2.0',
      dependencies: ['ghost'],
      lookup: lookupOf({ ghost: 'missing' }),
    });
    assert.equal(find(r, ['ghost']).state, 'missing');
    assert.equal(r.problems[0]?.code, 'missing');
  });

  test('built-in mods bring their own dependencies', () => {
    const r = resolveDependencies({ factorioVersion: '2.0', dependencies: ['space-age'], lookup: lookupOf({}) });
    const names = find(r, ['space-age']).children.map((c) => c.name);
    assert.ok(names.includes('base') && names.includes('quality'), names.join(', '));
    assert.deepEqual(r.needFull, []);
  });

  test('malformed strings are kept as written; the number of followed mods is bounded', () => {
    const r = resolveDependencies({ dependencies: ['? ', 'ok >= 1', ''], lookup: lookupOf({ ok: [release('1.0.0', '2.0')] }) });
    const texts = r.roots.map((n) => [n.text, n.state]);
    assert.deepEqual(texts, [
      ['? ', 'malformed'],
      ['ok >= 1', 'malformed'],
      ['', 'malformed'],
    ]);

    const chain: Record<string, Release[]> = {};
    for (let i = 0; i < 50; i++) chain[`m${i}`] = [release('1.0.0', '2.0', [`m${i + 1}`])];
    const bounded = resolveDependencies({ factorioVersion: '2.0', dependencies: ['m0'], lookup: lookupOf(chain), maxMods: 10 });
    assert.equal(bounded.truncated, true);
    assert.equal([...walkNodes(bounded.roots)].filter((n) => n.children.length > 0).length, 10);
  });
});
