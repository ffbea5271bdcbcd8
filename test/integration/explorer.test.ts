import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerApi } from '../../src/extension';
import { after, before, suite, test } from './framework';
import {
  byDownloads,
  clearRequests,
  closeAllEditors,
  explorerApi,
  extension,
  extensionApi,
  findInList,
  getRequests,
  openInfoJson,
  scratchFolder,
  plainText,
  portalList,
  setFaults,
  waitFor,
  wireCategory,
  type TreeItemSnapshot,
} from './helpers';

const LIB = 'factorio-lib';
const LOAD_MORE = 'factorioPortal.explorer.loadMore';

function modIds(children: readonly TreeItemSnapshot[], listId: string): string[] {
  return children.filter((c) => c.contextValue?.startsWith('factorioPortal.mod')).map((c) => c.id.slice(listId.length + 1));
}

async function resetFilters(): Promise<void> {
  await vscode.commands.executeCommand('factorioPortal.explorer.filterVersion', null);
  await vscode.commands.executeCommand('factorioPortal.explorer.showDeprecated');
  await vscode.commands.executeCommand('factorioPortal.explorer.sort', 'downloads');
}

/** Shows the Mod Portal view, as a user does by clicking the activity bar icon; tag checks run only then. */
async function showPortalView(explorer: ExplorerApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.factorioPortal');
  await waitFor(() => !explorer.tagCoverage().paused, { message: `the Mod Portal view shown (${JSON.stringify(explorer.tagCoverage())})` });
}

suite('mod explorer: Mod Portal tree', () => {
  before(resetFilters);
  after(resetFilters);

  test('roots are Categories and Tags; categories carry counts that add up to the whole list', async () => {
    const explorer = await explorerApi();
    const roots = await explorer.portal();
    assert.deepEqual(roots.map((r) => [r.id, r.label]), [
      ['categories', 'Categories'],
      ['tags', 'Tags'],
    ]);
    const categories = await explorer.portal('categories');
    const wire = await portalList();
    const expected = new Map<string, number>();
    // No category and "no-category" are one group.
    const keyOf = (mod: Parameters<typeof wireCategory>[0]): string => wireCategory(mod) || 'no-category';
    for (const mod of wire) expected.set(keyOf(mod), (expected.get(keyOf(mod)) ?? 0) + 1);
    const shown = new Map(categories.map((c) => [c.id.replace(/^category:/, ''), Number(c.description?.replace(/,/g, ''))]));
    assert.deepEqual(shown, expected);
    // Old values are their own group, named like the others: old-shape-mod's Tag-object category "big-mods".
    const old = categories.find((c) => c.id === 'category:big-mods');
    assert.equal(old?.label, 'Big mods');
    assert.equal(categories.find((c) => c.id === 'category:no-category')?.label, 'No category');
    assert.equal(categories.find((c) => c.id === 'category:internal')?.label, 'Internal');
    const api = await extensionApi<{ listState(): { modCount?: number } }>();
    assert.equal([...shown.values()].reduce((a, b) => a + b, 0), api.listState().modCount);
  });

  test("a category's mods come most downloaded first, 100 at a time, with Load more", async () => {
    const explorer = await explorerApi();
    const wire = await portalList();
    const counts = new Map<string, number>();
    for (const mod of wire) counts.set(wireCategory(mod), (counts.get(wireCategory(mod)) ?? 0) + 1);
    const [biggest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    assert.ok(counts.get(biggest)! > 100, 'the local portal has a category of more than 100 mods');
    const listId = `category:${biggest}`;
    await explorer.portal('categories');
    const expected = wire.filter((m) => wireCategory(m) === biggest).sort(byDownloads).map((m) => m.name);

    const first = await explorer.portal(listId);
    assert.deepEqual(modIds(first, listId), expected.slice(0, 100));
    const more = first[first.length - 1]!;
    assert.equal(more.label, 'Load more…');
    assert.equal(more.description, `${(expected.length - 100).toLocaleString('en-US')} more`);
    assert.equal(more.command?.command, LOAD_MORE);

    await vscode.commands.executeCommand(LOAD_MORE, ...(more.command?.arguments ?? []));
    const second = await explorer.portal(listId);
    assert.deepEqual(modIds(second, listId), expected.slice(0, 200));

    const top = first[0]!;
    assert.match(top.description ?? '', /↓$/);
    assert.equal(top.command?.command, 'factorioPortal.showModDetails');
    assert.ok(top.tooltip && top.tooltip.length > 0, 'a tooltip with the summary');
  });

  test('a mod expands to its releases: version, Factorio version, date, newest first', async () => {
    const explorer = await explorerApi();
    await explorer.portal('categories');
    const lib = await findInList(explorer.portal, 'category:internal', `category:internal/${LIB}`);
    assert.ok(lib, 'factorio-lib is listed under Internal');
    assert.equal(lib.label, 'Factorio Library');
    assert.match(plainText(lib.tooltip), /A set of commonly used utilities for creating Factorio mods\.\n\n9,876,543 downloads · latest 2\.1\.0 for Factorio 2\.1/);
    assert.match(plainText(lib.tooltip), /factorio-lib · lib-maintainer/);
    const releases = await explorer.portal(lib.id);
    assert.equal(releases.length, 21);
    assert.deepEqual(releases.slice(0, 3).map((r) => r.label), ['2.1.0', '2.0.0', '1.4.2']);
    assert.equal(releases[0]!.description, 'Factorio 2.1 · 2026-09-10');
    assert.equal(releases[0]!.contextValue, 'factorioPortal.release');
    assert.equal(releases[releases.length - 1]!.label, '0.5.0');
  });

  test('hide deprecated asks the portal which mods are deprecated, and marks them once known', async () => {
    const explorer = await explorerApi();
    const id = 'category:utilities/old-deprecated-mod';
    await explorer.portal('categories');
    assert.ok(await findInList(explorer.portal, 'category:utilities', id), 'listed before the filter');

    await vscode.commands.executeCommand('factorioPortal.explorer.hideDeprecated');
    assert.equal((await explorer.filter()).hideDeprecated, true);
    const categories = await explorer.portal('categories');
    const expectedCount = (await portalList('&hide_deprecated=true')).filter((m) => wireCategory(m) === 'utilities').length;
    assert.equal(categories.find((c) => c.id === 'category:utilities')?.description, expectedCount.toLocaleString('en-US'));
    assert.equal(await findInList(explorer.portal, 'category:utilities', id), undefined, 'hidden');

    await vscode.commands.executeCommand('factorioPortal.explorer.showDeprecated');
    await explorer.portal('categories');
    const shown = await findInList(explorer.portal, 'category:utilities', id);
    assert.ok(shown, 'back after Show Deprecated');
    assert.equal(shown.contextValue, 'factorioPortal.mod.deprecated');
    assert.match(shown.description ?? '', /deprecated/);
    assert.equal(shown.icon, 'circle-slash');
  });

  test('the Factorio version filter keeps exactly the mods the portal lists for that version', async () => {
    const explorer = await explorerApi();
    await vscode.commands.executeCommand('factorioPortal.explorer.filterVersion', '1.1');
    const wire = await portalList('&version=1.1');
    const categories = await explorer.portal('categories');
    const total = categories.reduce((sum, c) => sum + Number(c.description?.replace(/,/g, '') ?? 0), 0);
    assert.equal(total, wire.length);
    assert.ok(await findInList(explorer.portal, 'category:tweaks', 'category:tweaks/legacy-only-11'), 'a 1.1-only mod is kept');
    assert.equal(await findInList(explorer.portal, 'category:content', 'category:content/Mixed_Case-Mod'), undefined, 'a 2.0-only mod is not');
    await vscode.commands.executeCommand('factorioPortal.explorer.filterVersion', null);
    assert.equal((await explorer.filter()).factorioVersion, undefined);
  });

  test('sorting by name and by recent update', async () => {
    const explorer = await explorerApi();
    await vscode.commands.executeCommand('factorioPortal.explorer.sort', 'name');
    await explorer.portal('categories');
    const byName = (await explorer.portal('category:internal')).filter((c) => c.contextValue?.startsWith('factorioPortal.mod')).map((c) => c.label);
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    assert.deepEqual(byName, [...byName].sort(collator.compare));

    await vscode.commands.executeCommand('factorioPortal.explorer.sort', 'updated');
    const wire = (await portalList()).filter((m) => wireCategory(m) === 'internal');
    const newest = [...wire].sort((a, b) => (b.latest_release?.released_at ?? '').localeCompare(a.latest_release?.released_at ?? ''))[0]!;
    await explorer.portal('categories');
    const recent = await explorer.portal('category:internal');
    assert.equal(recent[0]!.id, `category:internal/${newest.name}`);
  });

  test('Tags: no check before the Tags node is opened; checks pause while the view is hidden and resume where they stopped', async () => {
    const explorer = await explorerApi();
    const config = vscode.workspace.getConfiguration('factorioPortal');
    await config.update('explorer.tagChecks', 16, vscode.ConfigurationTarget.Global);
    try {
      await showPortalView(explorer);
      await explorer.portal();
      // The roots are listed, the list is loaded: still nothing is checked until Tags is opened.
      assert.deepEqual(
        { target: explorer.tagCoverage().target, filling: explorer.tagCoverage().filling },
        { target: 0, filling: false },
      );
      await closeAllEditors();
      await clearRequests();
      await explorer.portal('tags');
      assert.equal(explorer.tagCoverage().target, 16);
      await waitFor(() => explorer.tagCoverage().checked > 0, { timeoutMs: 15_000, message: 'the first tag checks' });

      await vscode.commands.executeCommand('workbench.view.explorer');
      const paused = await waitFor(() => (explorer.tagCoverage().paused ? explorer.tagCoverage() : undefined), {
        message: 'tag checks paused while the Mod Portal view is hidden',
      });
      assert.equal(paused.filling, true, 'paused, not stopped');
      assert.ok(paused.checked < paused.target, `paused after ${paused.checked} of ${paused.target}`);

      await showPortalView(explorer);
      const done = await waitFor(() => (explorer.tagCoverage().filling ? undefined : explorer.tagCoverage()), {
        timeoutMs: 40_000,
        message: 'tag checks resumed and finished',
      });
      assert.equal(done.checked, 16);
      // Resumed where they stopped: no mod was asked twice.
      const fulls = (await getRequests()).map((r) => String(r.url)).filter((u) => /^\/api\/mods\/[^/?]+\/full/.test(u));
      assert.equal(new Set(fulls).size, fulls.length, `a mod asked twice: ${fulls.join(', ')}`);
    } finally {
      await config.update('explorer.tagChecks', undefined, vscode.ConfigurationTarget.Global);
    }
  }, { timeoutMs: 60_000 });

  test('Tags: the most downloaded mods are checked at most twice a second, and each tag says how much it covers', async () => {
    const explorer = await explorerApi();
    const config = vscode.workspace.getConfiguration('factorioPortal');
    await config.update('explorer.tagChecks', 6, vscode.ConfigurationTarget.Global);
    try {
      await showPortalView(explorer);
      // Other features fetch too (full records for open files' dependencies, the list):
      // only the full records of the mods the tag checks aim at count here.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const targets = new Set([...(await portalList())].sort(byDownloads).slice(0, 12).map((m) => `/api/mods/${encodeURIComponent(m.name)}/full`));
      await clearRequests();
      await explorer.portal();
      const tags = await waitFor(
        async () => {
          const list = await explorer.portal('tags');
          return explorer.tagCoverage().checked === 6 && list.some((t) => t.id === 'tag:logistics') ? list : undefined;
        },
        { timeoutMs: 20_000, message: 'six mods checked for tags' },
      );
      // The coverage is said once, on the Tags node; each tag shows its count alone.
      for (const tag of tags) assert.match(tag.description ?? '', /^\d+$/);
      const tagsNode = (await explorer.portal()).find((r) => r.id === 'tags');
      assert.equal(tagsNode?.description, 'from the 6 most downloaded');
      const logistics = await explorer.portal('tag:logistics');
      assert.ok(logistics.some((m) => m.id === `tag:logistics/${LIB}`), 'factorio-lib is tagged logistics');

      const fulls = (await getRequests()).filter((r) => targets.has(r.path));
      assert.ok(fulls.length <= 6, `${fulls.length} full requests for 6 mods`);
      const times = fulls.map((r) => Number(r.at)).sort((a, b) => a - b);
      // At most two a second: every gap is far from a burst, and on average they are 500 ms
      // apart (one arrival delayed by the network makes the next gap a little shorter).
      for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 250, `full requests ${times[i]! - times[i - 1]!} ms apart`);
      if (times.length > 1) {
        const mean = (times.at(-1)! - times[0]!) / (times.length - 1);
        assert.ok(mean >= 450, `full requests ${Math.round(mean)} ms apart on average`);
      }
    } finally {
      await config.update('explorer.tagChecks', undefined, vscode.ConfigurationTarget.Global);
    }
    // Six checks at two a second, on a busy machine, can outlast the default timeout.
  }, { timeoutMs: 90_000 });
  test('Tags: a background check re-lints only the open info.json files that name the mod checked', async () => {
    const explorer = await explorerApi();
    const config = vscode.workspace.getConfiguration('factorioPortal');
    // Two files, each naming one of the two most downloaded mods; then the background
    // checks of 28 other mods, each of which changes the cache.
    const wire = [...(await portalList())].sort(byDownloads);
    const infoJson = (dependency: string) => ({
      name: 'relint-probe',
      version: '1.0.0',
      title: 'Probe',
      author: 'me',
      factorio_version: '2.0',
      dependencies: [`${dependency} = 0.0.1`],
    });
    const [first, second] = [wire[0]!.name, wire[1]!.name];
    await closeAllEditors();
    // Their full records fresh first (as the tests above leave them), so nothing about them is fetched later.
    await config.update('explorer.tagChecks', 2, vscode.ConfigurationTarget.Global);
    await showPortalView(explorer);
    await explorer.portal();
    await explorer.portal('tags');
    await waitFor(() => explorer.tagCoverage().checked === 2 && !explorer.tagCoverage().filling, { message: 'the two mods checked' });
    const a = (await openInfoJson(infoJson(first), scratchFolder('relint'))).document.uri;
    const b = (await openInfoJson(infoJson(second), scratchFolder('relint'))).document.uri;
    const flagged = (uri: vscode.Uri, name: string) => vscode.languages.getDiagnostics(uri).some((d) => d.message.includes(name));
    await waitFor(() => flagged(a, first) && flagged(b, second), { message: 'both files linted from cached data' });

    // Other extensions (the JSON language server) publish for these files too: a re-lint of
    // ours is told by our findings being new objects, which nothing but a re-lint makes.
    const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Factorio Mod Portal');
    const sameObjects = (x: readonly vscode.Diagnostic[], y: readonly vscode.Diagnostic[]) => x.length === y.length && x.every((d, i) => d === y[i]);
    // A re-lint still pending from opening would land in the window: an edit replaces what
    // is pending for the file, and its re-lint says nothing is left.
    const relint = async (uri: vscode.Uri): Promise<void> => {
      const editor = await vscode.window.showTextDocument(uri, { preview: false });
      const before = ours(uri);
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 1), ' '));
      await waitFor(() => !sameObjects(ours(uri), before), { message: 'the edited file re-linted' });
    };
    await relint(b);
    await config.update('explorer.tagChecks', 30, vscode.ConfigurationTarget.Global);
    try {
      const before = ours(b);
      assert.ok(before.length > 0 && sameObjects(ours(b), before), 'the same findings, read twice, are the same objects');
      await showPortalView(explorer);
      await explorer.portal();
      await explorer.portal('tags');
      await waitFor(() => explorer.tagCoverage().checked === 30 && !explorer.tagCoverage().filling, {
        timeoutMs: 30_000,
        message: `30 mods checked for tags (${JSON.stringify(explorer.tagCoverage())})`,
      });
      // Any re-lint a check caused was scheduled before this edit, with the same delay: once
      // the edited file is re-linted, every earlier one has been published.
      await relint(a);
      assert.ok(sameObjects(ours(b), before), 'the file naming none of the checked mods was re-linted');
    } finally {
      await config.update('explorer.tagChecks', undefined, vscode.ConfigurationTarget.Global);
      for (const uri of [a, b]) {
        await vscode.window.showTextDocument(uri);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await closeAllEditors();
    }
  }, { timeoutMs: 60_000 });
});

suite('mod explorer: Dependencies tree', () => {
  after(async () => {
    await setFaults(null);
    await closeAllEditors();
  });

  async function settledRoots(): Promise<TreeItemSnapshot[]> {
    const explorer = await explorerApi();
    return waitFor(
      async () => {
        const roots = await explorer.dependencies();
        const pending = JSON.stringify(roots).includes('loading…') || explorer.dependenciesBusy();
        return pending ? undefined : roots;
      },
      { timeoutMs: 20_000, message: 'the dependency tree settles' },
    );
  }

  async function settledChildren(id: string): Promise<TreeItemSnapshot[]> {
    const explorer = await explorerApi();
    return waitFor(
      async () => {
        await settledRoots();
        const children = await explorer.dependencies(id);
        return JSON.stringify(children).includes('loading…') ? undefined : children;
      },
      { timeoutMs: 20_000, message: `children of ${id} settle` },
    );
  }

  // A mod whose dependencies another declares incompatible (test/portal-server/cases.ts).
  const TREE_MOD = {
    name: 'tree-mod',
    version: '1.0.0',
    title: 'Tree Mod',
    author: 'Tester',
    factorio_version: '2.0',
    dependencies: ['base >= 2.0.0', 'conflicting-mod', 'Mixed_Case-Mod >= 0.1.0', '? space-age-addon'],
  };

  test('resolves transitively and flags a required mod that another declares incompatible', async () => {
    await openInfoJson(TREE_MOD, scratchFolder('explorer'));
    const roots = await settledRoots();
    assert.deepEqual(roots.map((r) => r.label), ['Conflicts', 'base', 'conflicting-mod', 'Mixed_Case-Mod', 'space-age-addon']);
    const conflicts = roots[0]!;
    assert.equal(conflicts.icon, 'error');
    const problems = await settledChildren(conflicts.id);
    const incompatible = problems.find((p) => p.description === 'incompatible');
    assert.ok(incompatible, JSON.stringify(problems));
    assert.match(incompatible.label, /conflicting-mod declares Mixed_Case-Mod incompatible, but tree-mod requires it/);

    const mixed = roots.find((r) => r.label === 'Mixed_Case-Mod')!;
    assert.equal(mixed.description, '>= 0.1.0 → 0.2.0');
    assert.equal(mixed.icon, 'error');
    const mixedChildren = await settledChildren(mixed.id);
    assert.deepEqual(mixedChildren.map((c) => c.label), ['base', LIB], "0.2.0's own dependencies");
    assert.match(mixedChildren[1]!.description ?? '', /^>= 1\.0\.0 → 1\.4\.2$/);

    const conflicting = roots.find((r) => r.label === 'conflicting-mod')!;
    const declared = (await settledChildren(conflicting.id)).find((c) => c.label === 'Mixed_Case-Mod');
    assert.equal(declared?.description, 'incompatible');

    const optional = roots.find((r) => r.label === 'space-age-addon')!;
    assert.equal(optional.description, 'optional · 0.3.0');
    const optionalChildren = await settledChildren(optional.id);
    assert.deepEqual(optionalChildren.map((c) => c.label), ['base', 'space-age', 'quality', LIB]);
    assert.match(optionalChildren[1]!.description ?? '', /built in/);
    assert.match(optionalChildren[2]!.description ?? '', /^optional/);
  });

  test('a click on a row goes to its dependency in info.json, a nested row to the one it is under', async () => {
    const editor = await openInfoJson(TREE_MOD, scratchFolder('explorer'));
    const document = editor.document;
    const roots = await settledRoots();
    const click = async (row: TreeItemSnapshot | undefined): Promise<string> => {
      assert.ok(row?.command, `a command on ${JSON.stringify(row)}`);
      // Somewhere else first, so the selection below can only come from the click.
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []));
      const active = vscode.window.activeTextEditor!;
      assert.equal(active.document.uri.toString(), document.uri.toString());
      return active.document.getText(active.selection);
    };
    assert.equal(await click(roots.find((r) => r.label === 'conflicting-mod')), 'conflicting-mod');
    const mixed = roots.find((r) => r.label === 'Mixed_Case-Mod');
    assert.equal(await click(mixed), 'Mixed_Case-Mod >= 0.1.0');
    const nested = (await settledChildren(mixed!.id)).find((c) => c.label === LIB);
    assert.equal(await click(nested), 'Mixed_Case-Mod >= 0.1.0');
    // A conflict goes to the first dependency it concerns.
    const conflict = (await settledChildren('problems:conflicts'))[0];
    assert.equal(await click(conflict), 'conflicting-mod');
  });

  test('follows edits: removing the conflict clears it, an impossible constraint is flagged', async () => {
    const editor = vscode.window.activeTextEditor!;
    assert.ok(editor.document.uri.path.endsWith('info.json'));
    const text = editor.document.getText();
    const start = text.indexOf('"Mixed_Case-Mod >= 0.1.0"');
    await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + '"Mixed_Case-Mod >= 0.1.0"'.length)), '"factorio-lib >= 5.0.0"'));
    const explorer = await explorerApi();
    const roots = await waitFor(
      async () => {
        const list = await settledRoots();
        return list.some((r) => r.label === LIB) ? list : undefined;
      },
      { message: 'the tree shows the edit' },
    );
    const lib = roots.find((r) => r.label === LIB)!;
    assert.match(lib.description ?? '', /no release satisfies/);
    // Each problem group is named for what it holds.
    assert.equal(roots.find((r) => r.id === 'problems:unsatisfiable')?.label, 'No release satisfies the constraints');
    assert.equal(roots.find((r) => r.id === 'problems:conflicts'), undefined, 'no conflict left');
    const problems = await explorer.dependencies('problems:unsatisfiable');
    assert.deepEqual(problems.map((p) => p.description), ['unsatisfiable']);
    assert.match(problems[0]!.label, /No release of factorio-lib satisfies >= 5\.0\.0 \(tree-mod\)/);
  });
});

suite('mod explorer: the portal unreachable and nothing cached', () => {
  after(async () => {
    await setFaults(null);
    await vscode.commands.executeCommand('factorioPortal.refresh');
  });

  test('Clear Cached Portal Data with the portal down: the welcome view with Retry; Retry brings the categories back', async () => {
    const explorer = await explorerApi();
    const api = await extensionApi<{ listState(): { status: string; modCount?: number } }>();
    assert.deepEqual((await explorer.portal()).map((r) => r.id), ['categories', 'tags'], 'the tree has data to start with');
    assert.equal(explorer.listUnavailable(), false);

    // What the Retry button of the welcome view runs, and when the view shows.
    const welcome = (extension().packageJSON as { contributes: { viewsWelcome: Array<{ view: string; when: string; contents: string }> } }).contributes.viewsWelcome.find(
      (w) => w.view === 'factorioPortal.portal',
    );
    assert.equal(welcome?.when, 'factorioPortal.listUnavailable');
    assert.match(welcome?.contents ?? '', /\[Retry\]\(command:factorioPortal\.refresh\)/);

    await setFaults({ status: 503 });
    await vscode.commands.executeCommand('factorioPortal.clearCache');
    assert.equal(api.listState().modCount, undefined, 'the mod list is forgotten');
    // The tree as the view asks for it: no rows, so the welcome view shows instead.
    assert.deepEqual(await explorer.portal(), []);
    assert.equal(explorer.listUnavailable(), true);
    assert.equal(api.listState().modCount, undefined, 'nothing came from the failing portal');

    await setFaults(null);
    await vscode.commands.executeCommand('factorioPortal.refresh');
    const roots = await waitFor(
      async () => {
        const list = await explorer.portal();
        return list.length > 0 ? list : undefined;
      },
      { message: 'the tree has rows again' },
    );
    assert.deepEqual(roots.map((r) => r.id), ['categories', 'tags']);
    assert.equal(explorer.listUnavailable(), false);
    const categories = await explorer.portal('categories');
    const total = categories.reduce((sum, c) => sum + Number(c.description?.replace(/,/g, '') ?? 0), 0);
    assert.equal(total, (await portalList()).length);
    assert.equal(api.listState().modCount, total);
  });
});
