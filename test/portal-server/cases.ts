// Fixed mods that every generated dataset contains, whatever the seed, so tests can
// rely on their names, releases and odd shapes.
import { createRng, type Rng } from './prng';
import {
  LICENSES,
  formatChangelog,
  makeRelease,
  portalTime,
  type ChangelogEntry,
  type DatasetMod,
} from './records';
import { adversarialChangelog, adversarialDescription } from './adversarialText';

export const CASES = {
  /** Library many generated mods depend on; releases for 1.1, 2.0 and 2.1. */
  library: 'factorio-lib',
  /** Deprecated (only /full says so); releases up to 1.1. */
  deprecated: 'old-deprecated-mod',
  /** Releases only for Factorio 1.1. */
  legacyOnly: 'legacy-only-11',
  /** Version components above 255, for 2.0. */
  hugeVersions: 'huge-version-numbers',
  /** Mixed case, underscore and dash; 2.0. */
  mixedCase: 'Mixed_Case-Mod',
  /** Category as an old Tag object, old singular `tag` on /full, no thumbnail. */
  oldShape: 'old-shape-mod',
  /** No category, score or summary keys at all. */
  noCategory: 'no-category-mod',
  /** 2.0, depends on space-age, `? quality`, `factorio-lib >= 1.2.0`; feature_flags. */
  spaceAge: 'space-age-addon',
  /** 2.1 release with `+ factorio-lib >= 2.0.0`. */
  recommends: 'recommends-mod',
  /** 2.0 release declaring `! Mixed_Case-Mod`. */
  conflicting: 'conflicting-mod',
  /** Untrusted text: Markdown, script/img tags, a command: link. */
  markdown: 'markdown-mod',
  /** A 1 MB description and FAQ of Markdown crafted against naive parsers; a changelog of long lines. */
  adversarial: 'adversarial-text-mod',
  /** Its name starts with "login": a download must not mistake it for the login page. */
  login: 'login-tools',
  /**
   * A 2.0 modpack three levels deep: `pack-core >= 1.0.0`, `pack-extras`, `? pack-optional`;
   * pack-extras needs `pack-core >= 1.1.0` and `~ Mixed_Case-Mod` (which needs factorio-lib);
   * pack-core needs factorio-lib and pack-graphics.
   */
  modpack: 'modpack-demo',
  packCore: 'pack-core',
  packGraphics: 'pack-graphics',
  packExtras: 'pack-extras',
  packOptional: 'pack-optional',
  /** A 2.0 modpack whose two mods declare `!` each other: no install can satisfy it. */
  clashPack: 'clash-pack',
  clashAlpha: 'clash-alpha',
  clashBeta: 'clash-beta',
  /** Its 2.0 release's `file_name` is another mod's zip (factorio-lib_1.4.2.zip): a download must refuse it. */
  oddFileName: 'odd-file-name',
  /** Known by its initials (`tnm`, and the title starts "TNM"), popular: search must find it by them and by a typo. */
  initials: 'TrainNetworkManager',
} as const;

export const CASE_NAMES: readonly string[] = Object.values(CASES);

/** factorio-lib's versions per Factorio version, oldest first. */
export const LIBRARY_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '1.1': ['0.5.0', '0.5.1', '0.6.0', '0.7.0', '0.8.0', '0.8.1', '0.9.0', '0.9.1', '0.9.2', '0.9.3'],
  '2.0': ['1.0.0', '1.0.1', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '1.4.0', '1.4.1', '1.4.2'],
  '2.1': ['2.0.0', '2.1.0'],
};

const CASE_SEED = 0x0fac7041;
const at = (iso: string): number => Date.parse(iso);

interface CaseRelease {
  version: string;
  factorio: string;
  date: string;
  deps: string[];
  flags?: string[];
}

function releasesOf(rng: Rng, name: string, list: readonly CaseRelease[]): DatasetMod['releases'] {
  return list.map((r) =>
    makeRelease(name, {
      version: r.version,
      factorioVersion: r.factorio,
      releasedAt: at(r.date),
      dependencies: r.deps,
      featureFlags: r.flags,
      downloadId: rng.hex(24),
    }),
  );
}

function thumbnail(rng: Rng): string {
  return `/assets/${rng.hex(40)}.thumb.png`;
}

function libraryReleases(): CaseRelease[] {
  const out: CaseRelease[] = [];
  const spans: Array<[string, number, number, string]> = [
    ['1.1', at('2021-02-01T10:00:00Z'), at('2024-08-01T10:00:00Z'), 'base >= 1.1.0'],
    ['2.0', at('2024-10-22T09:30:00Z'), at('2025-03-01T12:00:00Z'), 'base >= 2.0.0'],
    ['2.1', at('2026-06-05T15:00:00Z'), at('2026-09-10T15:00:00Z'), 'base >= 2.1.0'],
  ];
  for (const [factorio, start, end, base] of spans) {
    const versions = LIBRARY_VERSIONS[factorio];
    versions.forEach((version, i) => {
      const t = versions.length === 1 ? start : start + ((end - start) * i) / (versions.length - 1);
      out.push({ version, factorio, date: portalTime(Math.round(t)), deps: [base] });
    });
  }
  return out;
}

function libraryChangelog(releases: readonly CaseRelease[]): string {
  const lines = [
    ['Changes', 'Reworked the event helpers.'],
    ['Bugfixes', 'Fixed a crash in the table helpers when given nil.'],
    ['Features', 'Added a GUI builder helper.'],
    ['Changes', 'Updated for the latest Factorio version.'],
  ];
  const entries: ChangelogEntry[] = releases
    .map((r, i) => ({
      version: r.version,
      date: at(r.date),
      sections: [
        { category: lines[i % lines.length][0], lines: [lines[i % lines.length][1]] },
        ...(i % 3 === 0 ? [{ category: 'Bugfixes', lines: [`Fixed issue #${100 + i}.`] }] : []),
      ],
    }))
    .reverse();
  return formatChangelog(entries);
}

export function buildCaseMods(): DatasetMod[] {
  const rng = createRng(CASE_SEED);
  const libReleases = libraryReleases();
  const mods: DatasetMod[] = [];

  mods.push({
    name: CASES.library,
    title: 'Factorio Library',
    owner: 'lib-maintainer',
    summary: 'A set of commonly used utilities for creating Factorio mods.',
    downloads_count: 9_876_543,
    category: 'internal',
    score: -141.9,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.library, libReleases),
    created_at: '2021-01-31T18:00:00.000000Z',
    updated_at: '2026-09-10T15:00:00.000000Z',
    changelog: libraryChangelog(libReleases),
    description: '# Factorio Library\n\nHelpers for events, GUIs, tables and more.\n\n- Event handlers\n- GUI builder\n- Table utilities\n',
    homepage: 'https://example.org/factorio-lib',
    source_url: 'https://github.com/lib-maintainer/factorio-lib',
    github_path: 'lib-maintainer/factorio-lib',
    tags: ['circuit-network', 'logistics'],
    license: { ...LICENSES.mit },
    last_highlighted_at: '2025-01-15',
  });

  mods.push({
    name: CASES.deprecated,
    title: 'Old Deprecated Mod',
    owner: 'retired-modder',
    summary: 'No longer maintained: use something else.',
    downloads_count: 45_210,
    category: 'utilities',
    score: 1.5,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.deprecated, [
      { version: '0.1.0', factorio: '0.17', date: '2019-05-01T12:00:00.000000Z', deps: ['base >= 0.17.0'] },
      { version: '0.2.0', factorio: '0.18', date: '2020-02-10T12:00:00.000000Z', deps: ['base >= 0.18.0'] },
      { version: '0.3.0', factorio: '1.0', date: '2020-08-20T12:00:00.000000Z', deps: ['base >= 1.0.0'] },
      { version: '0.4.0', factorio: '1.1', date: '2021-01-10T12:00:00.000000Z', deps: ['base >= 1.1.0'] },
      { version: '0.4.1', factorio: '1.1', date: '2021-06-10T12:00:00.000000Z', deps: ['base >= 1.1.0'] },
    ]),
    created_at: '2019-05-01T11:58:00.000000Z',
    updated_at: '2022-03-01T09:00:00.000000Z',
    license: { ...LICENSES.mit },
    deprecated: true,
  });

  mods.push({
    name: CASES.legacyOnly,
    title: 'Legacy Only 1.1',
    owner: 'steady-modder',
    summary: 'Only ever released for Factorio 1.1.',
    downloads_count: 12_345,
    category: 'tweaks',
    score: 0,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.legacyOnly, [
      { version: '1.0.0', factorio: '1.1', date: '2021-03-01T08:00:00.000000Z', deps: ['base >= 1.1.0'] },
      { version: '1.0.1', factorio: '1.1', date: '2022-07-14T08:00:00.000000Z', deps: ['base >= 1.1.0', '? factorio-lib >= 0.6.0'] },
      { version: '1.1.0', factorio: '1.1', date: '2023-09-30T08:00:00.000000Z', deps: ['base >= 1.1.0', '? factorio-lib >= 0.9.0'] },
    ]),
    created_at: '2021-03-01T07:59:00.000000Z',
    updated_at: '2023-09-30T08:00:00.000000Z',
    tags: ['trains'],
    license: { ...LICENSES.gpl3 },
  });

  mods.push({
    name: CASES.hugeVersions,
    title: 'Huge Version Numbers',
    owner: 'version-enthusiast',
    summary: 'Version components above 255, which the game allows up to 65535.',
    downloads_count: 321,
    category: 'utilities',
    score: -2.3333333333333335,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.hugeVersions, [
      { version: '1.256.0', factorio: '2.0', date: '2024-11-02T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
      { version: '1.300.1024', factorio: '2.0', date: '2025-02-02T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
      { version: '2.0.65535', factorio: '2.0', date: '2025-08-02T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    created_at: '2024-11-02T09:59:00.000000Z',
    updated_at: '2025-08-02T10:00:00.000000Z',
    license: { ...LICENSES.unlicense },
  });

  mods.push({
    name: CASES.mixedCase,
    title: 'Mixed Case Mod',
    owner: 'CamelCaseFan',
    summary: 'A name with upper case, an underscore and a dash.',
    downloads_count: 7_777,
    category: 'content',
    score: 3.2,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.mixedCase, [
      { version: '0.1.0', factorio: '2.0', date: '2024-12-01T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
      { version: '0.2.0', factorio: '2.0', date: '2025-04-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'factorio-lib >= 1.0.0'] },
    ]),
    created_at: '2024-12-01T09:59:00.000000Z',
    updated_at: '2025-04-01T10:00:00.000000Z',
    tags: ['manufacturing'],
    license: { ...LICENSES.mit },
  });

  mods.push({
    name: CASES.oldShape,
    title: 'Old Shape Mod',
    owner: 'oldtimer',
    summary: 'Served with the category and tags shaped as the old API documented them.',
    downloads_count: 2_048,
    category: 'big-mods',
    score: 0.3666666666666667,
    releases: releasesOf(rng, CASES.oldShape, [
      { version: '0.0.1', factorio: '1.1', date: '2021-05-05T05:05:05.000000Z', deps: ['base'] },
    ]),
    created_at: '2021-05-05T05:00:00.000000Z',
    updated_at: '2021-05-05T05:05:05.000000Z',
    tags: ['trains', 'transportation'],
    wire: {
      category: { id: 12, name: 'big-mods', title: 'Big mods', description: 'Too big to be classified', type: 'Category' },
      tag: [
        { id: 3, name: 'trains', title: 'Trains', description: 'Trains are great, but what if they could do even more?', type: 'Tag' },
        { id: 5, name: 'transportation', title: 'Transportation', description: 'Player transport', type: 'Tag' },
      ],
    },
  });

  mods.push({
    name: CASES.noCategory,
    title: 'No Category Mod',
    owner: 'minimalist',
    summary: '',
    downloads_count: 3,
    releases: releasesOf(rng, CASES.noCategory, [
      { version: '0.1.0', factorio: '2.0', date: '2025-01-20T20:00:00.000000Z', deps: ['base'] },
    ]),
    created_at: '2025-01-20T19:59:00.000000Z',
    updated_at: '2025-01-20T20:00:00.000000Z',
    wire: { omit: ['summary'] },
  });

  const spaceDeps = ['base >= 2.0.0', 'space-age', '? quality', 'factorio-lib >= 1.2.0'];
  mods.push({
    name: CASES.spaceAge,
    title: 'Space Age Addon',
    owner: 'spaceman',
    summary: 'Needs Space Age: more things to do in orbit.',
    downloads_count: 54_321,
    category: 'content',
    score: 12.5,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.spaceAge, [
      { version: '0.1.0', factorio: '2.0', date: '2024-11-15T12:00:00.000000Z', deps: spaceDeps, flags: ['space-travel'] },
      { version: '0.2.0', factorio: '2.0', date: '2025-03-15T12:00:00.000000Z', deps: spaceDeps, flags: ['space-travel'] },
      { version: '0.3.0', factorio: '2.0', date: '2025-09-15T12:00:00.000000Z', deps: spaceDeps, flags: ['quality', 'space-travel'] },
    ]),
    created_at: '2024-11-15T11:58:00.000000Z',
    updated_at: '2025-09-15T12:00:00.000000Z',
    tags: ['planets', 'transportation'],
    license: { ...LICENSES.mit },
  });

  mods.push({
    name: CASES.recommends,
    title: 'Recommends Mod',
    owner: 'newfeatures',
    summary: 'Uses the `+` (recommended) dependency prefix of Factorio 2.1.',
    downloads_count: 999,
    category: 'tweaks',
    score: 2,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.recommends, [
      { version: '1.0.0', factorio: '2.0', date: '2025-05-01T12:00:00.000000Z', deps: ['base >= 2.0.0', '? factorio-lib >= 1.0.0'] },
      { version: '2.0.0', factorio: '2.1', date: '2026-07-01T12:00:00.000000Z', deps: ['base >= 2.1.0', '+ factorio-lib >= 2.0.0'] },
    ]),
    created_at: '2025-05-01T11:59:00.000000Z',
    updated_at: '2026-07-01T12:00:00.000000Z',
    license: { ...LICENSES.apache2 },
  });

  mods.push({
    name: CASES.conflicting,
    title: 'Conflicting Mod',
    owner: 'rival',
    summary: 'Does not get along with Mixed_Case-Mod.',
    downloads_count: 1_500,
    category: 'overhaul',
    score: -0.5,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.conflicting, [
      { version: '1.0.0', factorio: '2.0', date: '2025-02-01T12:00:00.000000Z', deps: ['base >= 2.0.0', '! Mixed_Case-Mod'] },
    ]),
    created_at: '2025-02-01T11:59:00.000000Z',
    updated_at: '2025-02-01T12:00:00.000000Z',
    license: { ...LICENSES.mit },
  });

  mods.push({
    name: CASES.markdown,
    title: 'Markdown **Mod** <script>alert(1)</script>',
    owner: 'markup<b>lover</b>',
    summary: 'Summary with <img src=x onerror=alert(1)> and a [link](command:workbench.action.quit).',
    downloads_count: 4_242,
    category: 'utilities',
    score: 4.2,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.markdown, [
      { version: '1.0.0', factorio: '2.0', date: '2025-06-06T06:06:06.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    created_at: '2025-06-06T06:00:00.000000Z',
    updated_at: '2025-06-06T06:06:06.000000Z',
    changelog: formatChangelog([
      { version: '1.0.0', date: at('2025-06-06T06:06:06Z'), sections: [{ category: 'Features', lines: ['<script>alert(2)</script> and [quit](command:workbench.action.quit)'] }] },
    ]),
    description:
      '# Markdown Mod\n\n**Bold**, _italic_ and `code`.\n\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n[Click me](command:workbench.action.quit)\n\n[Website](javascript:alert(1))\n',
    faq: '<iframe src="https://example.invalid"></iframe>',
    homepage: 'javascript:alert(1)',
    source_url: 'command:workbench.action.quit',
    license: { ...LICENSES.mit },
  });

  mods.push({
    name: CASES.adversarial,
    title: 'Adversarial Text Mod',
    owner: 'fuzzer',
    summary: 'Its description is a megabyte of Markdown made to freeze naive parsers.',
    downloads_count: 666,
    category: 'utilities',
    score: 0.1,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.adversarial, [
      { version: '1.0.0', factorio: '2.0', date: '2025-07-07T07:07:07.000000Z', deps: ['base >= 2.0.0'] },
      { version: '1.0.1', factorio: '2.0', date: '2025-08-08T08:08:08.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    created_at: '2025-07-07T07:00:00.000000Z',
    updated_at: '2025-08-08T08:08:08.000000Z',
    changelog: adversarialChangelog(100_000),
    description: adversarialDescription(1_000_000),
    faq: adversarialDescription(200_000),
    license: { ...LICENSES.mit },
  });

  mods.push({
    name: CASES.login,
    title: 'Login Tools',
    owner: 'gatekeeper',
    summary: 'Remembers who logged in to your server.',
    downloads_count: 321,
    category: 'utilities',
    score: 1.5,
    thumbnail: thumbnail(rng),
    releases: releasesOf(rng, CASES.login, [
      { version: '0.1.0', factorio: '1.1', date: '2023-03-03T03:03:03.000000Z', deps: ['base >= 1.1.0'] },
      { version: '1.0.0', factorio: '2.0', date: '2025-01-10T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    created_at: '2023-03-03T03:00:00.000000Z',
    updated_at: '2025-01-10T10:00:00.000000Z',
    license: { ...LICENSES.mit },
  });

  // The modpacks last, so the mods above keep their generated ids and thumbnails.
  const small = (name: string, title: string, summary: string, list: CaseRelease[]): DatasetMod => ({
    name,
    title,
    owner: 'pack-maker',
    summary,
    downloads_count: 100,
    category: 'content',
    score: 1,
    releases: releasesOf(rng, name, list),
    created_at: `${list[0]!.date.slice(0, 19)}.000000Z`,
    updated_at: `${list[list.length - 1]!.date.slice(0, 19)}.000000Z`,
    license: { ...LICENSES.mit },
  });
  mods.push(
    small(CASES.modpack, 'Modpack Demo', 'A modpack: installs its mods and theirs.', [
      { version: '1.0.0', factorio: '1.1', date: '2023-01-01T10:00:00.000000Z', deps: ['base >= 1.1.0', 'factorio-lib'] },
      { version: '2.0.0', factorio: '2.0', date: '2025-05-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'pack-core >= 1.0.0', 'pack-extras', '? pack-optional'] },
    ]),
    small(CASES.packCore, 'Pack Core', 'The core of the modpack.', [
      { version: '1.0.0', factorio: '2.0', date: '2025-01-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'factorio-lib >= 1.2.0'] },
      { version: '1.1.0', factorio: '2.0', date: '2025-03-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'factorio-lib >= 1.2.0', 'pack-graphics >= 0.5.0'] },
    ]),
    small(CASES.packGraphics, 'Pack Graphics', 'Sprites for the modpack.', [
      { version: '0.5.0', factorio: '2.0', date: '2025-02-01T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    small(CASES.packExtras, 'Pack Extras', 'More for the modpack.', [
      { version: '2.0.0', factorio: '2.0', date: '2025-04-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'pack-core >= 1.1.0', '~ Mixed_Case-Mod >= 0.2.0'] },
    ]),
    small(CASES.packOptional, 'Pack Optional', 'An optional part of the modpack.', [
      { version: '0.1.0', factorio: '2.0', date: '2025-04-15T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    small(CASES.clashPack, 'Clash Pack', 'A modpack of two mods that refuse each other.', [
      { version: '1.0.0', factorio: '2.0', date: '2025-06-01T10:00:00.000000Z', deps: ['base >= 2.0.0', 'clash-alpha', 'clash-beta'] },
    ]),
    small(CASES.clashAlpha, 'Clash Alpha', 'Refuses Clash Beta.', [
      { version: '1.0.0', factorio: '2.0', date: '2025-05-20T10:00:00.000000Z', deps: ['base >= 2.0.0', '! clash-beta'] },
    ]),
    small(CASES.clashBeta, 'Clash Beta', 'Refuses Clash Alpha.', [
      { version: '1.0.0', factorio: '2.0', date: '2025-05-21T10:00:00.000000Z', deps: ['base >= 2.0.0', '! clash-alpha'] },
    ]),
  );
  // Last, so every mod above keeps its generated values.
  const odd = small(CASES.oddFileName, 'Odd File Name', 'Its release claims to be another mod.', [
    { version: '1.0.0', factorio: '2.0', date: '2025-06-02T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
  ]);
  odd.releases[0]!.file_name = `${CASES.library}_1.4.2.zip`;
  mods.push(odd);
  // The last case added goes after every other, for the same reason.
  mods.push({
    ...small(CASES.initials, 'TNM - Train Network Manager', 'Trains go where they are needed.', [
      { version: '1.0.0', factorio: '2.0', date: '2025-03-10T10:00:00.000000Z', deps: ['base >= 2.0.0'] },
    ]),
    owner: 'train-modder',
    downloads_count: 2_500_000,
    category: 'logistics',
  });

  return mods;
}
