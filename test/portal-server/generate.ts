// The generated bulk of the local portal: realistic-looking mods with heavy-tailed
// downloads, release histories across Factorio versions and dependencies between mods.
import { CURRENT_CATEGORIES, CURRENT_TAGS, type PortalImage, type PortalTag, type Release } from '../../src/portal/types';
import { CASE_NAMES, CASES, LIBRARY_VERSIONS } from './cases';
import { Rng, WeightedTable } from './prng';
import {
  DATASET_NOW,
  flat,
  ERAS,
  LICENSES,
  formatChangelog,
  makeRelease,
  portalDate,
  portalTime,
  type DatasetMod,
  type ReleaseSpec,
} from './records';
import {
  ADJECTIVES,
  CHANGE_LINES,
  CHANGELOG_CATEGORIES,
  FEATURE_FLAGS,
  LANGUAGES,
  NAME_PREFIXES,
  NAME_WORDS,
  NON_LATIN_TITLES,
  OLD_CATEGORY_NAMES,
  OWNER_WORDS,
  SUMMARY_TEMPLATES,
} from './words';

const CAPITALISED_WORDS = NAME_WORDS.map(capitalise);
const BUILTIN_NAMES = ['core', 'base', 'quality', 'elevated-rails', 'space-age', 'recycler'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Relative number of mods whose first release targets each era (index parallel to ERAS). */
const START_ERA_WEIGHTS = [2, 4, 5, 6, 7, 6, 2, 25, 30, 13];
const ERA_INDICES = ERAS.map((_, i) => i);
const ERA_INDEX_2_0 = ERAS.findIndex((e) => e.version === '2.0');
const ERA_INDEX_2_1 = ERAS.findIndex((e) => e.version === '2.1');

const table = <T>(items: readonly T[], weights: readonly number[]): WeightedTable<T> => new WeightedTable(items, weights);

/** Every weighted choice of the generator, prepared once. */
const T = {
  nameWords: table([1, 2, 3, 4], [12, 45, 32, 11]),
  nameStyle: table(['kebab', 'pascal', 'snake', 'mixed', 'prefixed', 'digits', 'odd'] as const, [40, 17, 14, 13, 10, 5, 1]),
  ownerStyle: table(['word', 'worddigits', 'lower', 'deleted'] as const, [35, 35, 28, 2]),
  categoryShape: table(['current', 'old', 'empty', 'null', 'missing', 'tag'] as const, [940, 25, 10, 5, 15, 5]),
  category: table(CURRENT_CATEGORIES, [4, 25, 5, 20, 20, 3, 6, 4, 8]),
  startEra: table(ERA_INDICES, START_ERA_WEIGHTS),
  baseStyle: table(['full', 'short', 'plain', 'none'] as const, [55, 10, 25, 10]),
  libStyle: table(['ge', 'plain', 'tilde', 'optional'] as const, [65, 15, 10, 10]),
  depPrefix: table(['', '? ', '(?) ', '~ ', '! '] as const, [48, 27, 6, 7, 12]),
  depOperator: table(['', '>=', '>', '=', '<', '<='] as const, [50, 38, 3, 4, 3, 2]),
  quality: table(['none', 'optional', 'required'] as const, [80, 16, 4]),
  flagCount: table([1, 2, 3], [60, 30, 10]),
  thumbnail: table(['hash', 'empty', 'none'] as const, [82, 3, 15]),
  homepage: table(['none', 'repo', 'discord', 'empty', 'text'] as const, [75, 15, 5, 3, 2]),
  githubPath: table(['none', 'path', 'empty'] as const, [76, 18, 6]),
  tagCount: table([0, 1, 2, 3], [35, 35, 20, 10]),
  licenseKind: table(['default', 'custom', 'none'] as const, [88, 5, 7]),
  license: table(Object.values(LICENSES), [50, 20, 8, 8, 6, 8]),
};

/** Dependency strings every era repeats, built once instead of once per release. */
const BASE_DEPENDENCY = {
  full: ERAS.map((e) => `base >= ${e.version}.0`),
  short: ERAS.map((e) => `base >= ${e.version}`),
};
const LIBRARY_DEPENDENCY: Readonly<Record<string, { ge: string[]; tilde: string[]; optional: string[] }>> = Object.fromEntries(
  Object.entries(LIBRARY_VERSIONS).map(([era, versions]) => [
    era,
    {
      ge: versions.map((v) => `${CASES.library} >= ${v}`),
      tilde: versions.map((v) => `~ ${CASES.library} >= ${v}`),
      optional: versions.map((v) => `? ${CASES.library} >= ${v}`),
    },
  ]),
);

/** What later mods need to know about an earlier one to depend on it. */
interface Target {
  name: string;
  firstEra: number;
  lastEra: number;
  releases: readonly Release[];
}

interface Dependency {
  target: Target;
  prefix: '' | '? ' | '(?) ' | '~ ' | '! ';
  operator: '' | '>=' | '>' | '=' | '<' | '<=';
}

interface GenContext {
  rng: Rng;
  usedNames: Set<string>;
  owners: string[];
  targets: Target[];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const INVALID_NAME_CHARS = /[^A-Za-z0-9_-]/g;

function sanitiseName(name: string): string {
  let out = name.search(INVALID_NAME_CHARS) < 0 ? name : name.replace(INVALID_NAME_CHARS, '');
  if (out.length > 49) out = out.slice(0, 49).replace(/[-_]+$/, '');
  return out;
}

/** A unique mod name and the words it was made of (for the title). */
function makeName(ctx: GenContext, owner: string): { name: string; words: string[] } {
  const { rng } = ctx;
  const count = T.nameWords.pick(rng);
  const lower: string[] = [];
  const upper: string[] = [];
  for (let i = 0; i < count; i++) {
    const index = Math.floor(rng.next() * NAME_WORDS.length);
    lower.push(NAME_WORDS[index]);
    upper.push(CAPITALISED_WORDS[index]);
  }
  const style = T.nameStyle.pick(rng);
  let name: string;
  switch (style) {
    case 'kebab':
      name = lower.join('-');
      break;
    case 'pascal':
      name = upper.join('');
      break;
    case 'snake':
      name = lower.join('_');
      break;
    case 'mixed': {
      const parts: string[] = [];
      for (let i = 0; i < count; i++) {
        if (i > 0) parts.push(i % 2 ? '_' : '-');
        parts.push(i % 2 === 0 ? upper[i] : lower[i]);
      }
      name = parts.join('');
      break;
    }
    case 'prefixed': {
      const prefix = rng.chance(0.4) && !owner.startsWith('deleted_') ? owner.replace(/[^A-Za-z0-9]/g, '') : rng.pick(NAME_PREFIXES);
      name = flat(prefix, '-', lower.join('-'));
      break;
    }
    case 'digits':
      name = flat(upper.join(''), rng.int(2, 3000));
      break;
    default:
      name = flat(rng.pick(['-', '--', '_', '0-']), lower.join('-'));
  }
  name = sanitiseName(name);
  if (name.length < 4) {
    while (name.length < 4) name += `-${rng.pick(NAME_WORDS)}`;
    name = sanitiseName(name);
  }
  let candidate = name;
  let key = candidate.toLowerCase();
  for (let n = 2; ctx.usedNames.has(key); n++) {
    const suffix = rng.chance(0.5) ? `-${n}` : `_${n}`;
    candidate = sanitiseName(name.slice(0, 49 - suffix.length) + suffix);
    key = candidate.toLowerCase();
  }
  ctx.usedNames.add(key);
  return { name: candidate, words: upper };
}

function makeOwners(rng: Rng, count: number): string[] {
  const owners: string[] = [];
  for (let i = 0; i < count; i++) {
    const style = T.ownerStyle.pick(rng);
    const word = rng.pick(OWNER_WORDS);
    if (style === 'word') owners.push(i < OWNER_WORDS.length ? word : `${word}_${rng.pick(NAME_WORDS)}`);
    else if (style === 'worddigits') owners.push(`${word}${rng.int(1, 9999)}`);
    else if (style === 'lower') owners.push(`${rng.pick(NAME_WORDS)}${rng.pick(['', '_', '-'])}${rng.pick(NAME_WORDS)}`.toLowerCase());
    else owners.push(`deleted_${rng.hex(12)}`);
  }
  return owners;
}

type TemplateSlot = 'a' | 'b' | 'adj' | 'n' | 'lang';
type CompiledTemplate = ReadonlyArray<string | { slot: TemplateSlot }>;

/** Templates split once into text and slots, so filling one is a short loop. */
function compileTemplates(templates: readonly string[]): CompiledTemplate[] {
  return templates.map((template) =>
    template.split(/(\{(?:a|b|adj|n|lang)\})/).map((part) => {
      const slot = /^\{(a|b|adj|n|lang)\}$/.exec(part);
      return slot ? { slot: slot[1] as TemplateSlot } : part;
    }),
  );
}

const SUMMARIES = compileTemplates(SUMMARY_TEMPLATES);
const CHANGES = compileTemplates(CHANGE_LINES);

function fillTemplate(rng: Rng, template: CompiledTemplate): string {
  const out = new Array<string>(template.length);
  for (let i = 0; i < template.length; i++) {
    const part = template[i];
    if (typeof part === 'string') out[i] = part;
    else if (part.slot === 'adj') out[i] = rng.pick(ADJECTIVES);
    else if (part.slot === 'n') out[i] = String(rng.int(2, 40));
    else if (part.slot === 'lang') out[i] = rng.pick(LANGUAGES);
    else out[i] = rng.pick(NAME_WORDS);
  }
  return out.join('');
}

function makeTitle(rng: Rng, words: readonly string[]): string {
  if (rng.chance(0.02)) return rng.pick(NON_LATIN_TITLES);
  const title = words.join(' ');
  return rng.chance(0.1) ? flat(title, ' ', rng.pick(['Plus', 'Redux', 'Continued', '(fork)', 'Reloaded'])) : title;
}

function makeSummary(rng: Rng): string {
  if (rng.chance(0.01)) return '';
  const first = fillTemplate(rng, rng.pick(SUMMARIES));
  if (rng.chance(0.04)) return `${first}\r\n- ${fillTemplate(rng, rng.pick(SUMMARIES))}\r\n- Works in multiplayer.`;
  return first;
}

function pickCategory(rng: Rng): { category?: string; wire?: DatasetMod['wire'] } {
  const shape = T.categoryShape.pick(rng);
  switch (shape) {
    case 'current':
      return {
        category: T.category.pick(rng),
      };
    case 'old':
      return { category: rng.pick(OLD_CATEGORY_NAMES) };
    case 'empty':
      return { wire: { category: '' } };
    case 'null':
      return { wire: { category: null } };
    case 'missing':
      return {};
    default: {
      const name = rng.pick(OLD_CATEGORY_NAMES);
      const tag: PortalTag = { id: rng.int(1, 40), name, title: name.split('-').map(capitalise).join(' '), description: `Mods in ${name}`, type: 'Category' };
      return { category: name, wire: { category: tag } };
    }
  }
}

function nextVersion(rng: Rng, current: [number, number, number], eraChanged: boolean): [number, number, number] {
  const [major, minor, patch] = current;
  const roll = rng.next();
  if (eraChanged ? roll < 0.3 : roll < 0.04) return [major + 1, 0, 0];
  if (eraChanged ? roll < 0.85 : roll < 0.28) return [major, minor + 1, 0];
  return [major, minor, patch + 1];
}

function dependencyString(rng: Rng, dep: Dependency, eraIndex: number): string | undefined {
  const t = dep.target;
  const inEra = eraIndex >= t.firstEra && eraIndex <= t.lastEra;
  if (!inEra && dep.prefix !== '! ') return undefined;
  if (dep.operator === '' || dep.prefix === '! ') return flat(dep.prefix, t.name);
  return flat(dep.prefix, t.name, ' ', dep.operator, ' ', rng.pick(t.releases).version);
}

/** Real info.json files vary in spacing; a few generated ones do too. */
function roughen(rng: Rng, dep: string): string {
  if (!rng.chance(0.03)) return dep;
  const variant = rng.int(0, 2);
  if (variant === 0) return dep.replace(/ (>=|<=|=|>|<) /, '$1');
  if (variant === 1) return dep.replace(/^([?~!]|\(\?\)) /, '$1');
  return dep.replace(/ /g, '  ');
}

function makeReleases(ctx: GenContext, name: string, popular: boolean): {
  releases: DatasetMod['releases'];
  firstEra: number;
  lastEra: number;
} {
  const { rng } = ctx;
  const firstEra = T.startEra.pick(rng);
  let lastEra = firstEra;
  while (lastEra < ERAS.length - 1 && rng.chance(popular ? 0.7 : 0.35)) lastEra++;

  const baseStyle = T.baseStyle.pick(rng);
  const usesLibrary = rng.chance(0.28);
  const libStyle = T.libStyle.pick(rng);
  const noDeps = rng.chance(0.02);
  const deps: Dependency[] = [];
  const depCount = ctx.targets.length === 0 ? 0 : rng.geometric(0.45, 4);
  for (let i = 0; i < depCount; i++) {
    const target = ctx.targets[Math.floor(Math.pow(rng.next(), 1.5) * ctx.targets.length)];
    if (target.name === name || deps.some((d) => d.target === target)) continue;
    deps.push({
      target,
      prefix: T.depPrefix.pick(rng),
      operator: T.depOperator.pick(rng),
    });
  }
  const spaceAge = rng.chance(0.22);
  const quality = T.quality.pick(rng);
  const elevatedRails = rng.chance(0.04);
  const recommends = rng.chance(0.15);
  const recycler = rng.chance(0.05);
  const flags = spaceAge && rng.chance(0.4) ? pickFlags(rng) : [];

  const releases: DatasetMod['releases'] = [];
  let previous = ERAS[firstEra].start + Math.floor(rng.next() * (ERAS[firstEra].end - ERAS[firstEra].start) * 0.6);
  const mirror = rng.chance(0.1);
  let version: [number, number, number] = rng.pick<[number, number, number]>([[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  let mirrorPatch = 0;
  let total = 0;
  for (let eraIndex = firstEra; eraIndex <= lastEra && total < 60; eraIndex++) {
    const era = ERAS[eraIndex];
    const count = Math.min(60 - total, 1 + rng.geometric(popular ? 0.75 : 0.5, popular ? 30 : 12));
    const from = Math.max(era.start, previous + HOUR);
    const span = Math.max(era.end - from, count * HOUR);
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(from + Math.floor(rng.next() * span));
    times.sort((a, b) => a - b);
    const dependencies: string[] = [];
    if (!noDeps) {
      if (baseStyle === 'full') dependencies.push(BASE_DEPENDENCY.full[eraIndex]);
      else if (baseStyle === 'short') dependencies.push(BASE_DEPENDENCY.short[eraIndex]);
      else if (baseStyle === 'plain') dependencies.push('base');
      const lib = LIBRARY_DEPENDENCY[era.version];
      if (usesLibrary && lib) {
        const which = Math.floor(rng.next() * Math.ceil((lib.ge.length * 2) / 3));
        if (libStyle === 'plain') dependencies.push(CASES.library);
        else dependencies.push(lib[libStyle][which]);
      }
      for (const dep of deps) {
        const text = dependencyString(rng, dep, eraIndex);
        if (text) dependencies.push(roughen(rng, text));
      }
      if (eraIndex >= ERA_INDEX_2_0) {
        if (spaceAge) dependencies.push('space-age');
        if (quality === 'optional') dependencies.push('? quality');
        else if (quality === 'required') dependencies.push('quality >= 2.0.0');
        if (elevatedRails) dependencies.push('? elevated-rails');
      }
      if (eraIndex >= ERA_INDEX_2_1) {
        if (recommends) dependencies.push(`+ ${deps.length > 0 && deps[0].prefix !== '! ' ? deps[0].target.name : 'quality'}`);
        if (recycler) dependencies.push('? recycler');
      }
    }
    for (let i = 0; i < count; i++) {
      const releasedAt = Math.min(Math.max(times[i], previous + HOUR), DATASET_NOW - HOUR * (count - i));
      previous = releasedAt;
      const eraChanged = i === 0 && eraIndex !== firstEra;
      let versionString: string;
      if (mirror) {
        mirrorPatch = eraChanged ? 0 : total === 0 ? rng.int(0, 3) : mirrorPatch + 1;
        versionString = `${era.version}.${mirrorPatch}`;
      } else {
        if (total > 0) version = nextVersion(rng, version, eraChanged);
        versionString = version.join('.');
      }
      const spec: ReleaseSpec = {
        version: versionString,
        factorioVersion: era.version,
        releasedAt,
        // Releases of one era share their dependency list; nothing mutates it.
        dependencies,
        featureFlags: eraIndex >= ERA_INDEX_2_0 ? flags : undefined,
        downloadId: rng.hex(24),
      };
      releases.push(makeRelease(name, spec));
      total++;
    }
  }
  return { releases, firstEra, lastEra };
}

function pickFlags(rng: Rng): string[] {
  const out = new Set<string>();
  const count = T.flagCount.pick(rng);
  while (out.size < count) out.add(rng.pick(FEATURE_FLAGS));
  return FEATURE_FLAGS.filter((f) => out.has(f));
}

function makeChangelog(rng: Rng, releases: DatasetMod['releases']): string {
  const recent = releases.slice(-Math.min(3, releases.length)).reverse();
  return formatChangelog(
    recent.map((r) => ({
      version: r.version,
      date: Date.parse(r.released_at),
      sections: [{ category: rng.pick(CHANGELOG_CATEGORIES), lines: [fillTemplate(rng, rng.pick(CHANGES))] }],
    })),
  );
}

function makeDescription(rng: Rng, title: string, summary: string): string {
  const features = Array.from({ length: rng.int(1, 3) }, () => `- ${fillTemplate(rng, rng.pick(SUMMARIES))}`);
  return flat('# ', title, '\n\n', summary, '\n\n## Features\n\n', features.join('\n'), '\n');
}

function makeImages(rng: Rng): PortalImage[] {
  return Array.from({ length: rng.int(1, 4) }, () => {
    const id = rng.hex(40);
    return {
      id,
      thumbnail: flat('https://assets-mod.factorio.com/assets/', id, '.thumb.png'),
      url: flat('https://assets-mod.factorio.com/assets/', id, '.png'),
    };
  });
}


function makeBulkMod(ctx: GenContext, index: number): DatasetMod {
  const { rng } = ctx;
  const owner = ctx.owners[Math.floor(Math.pow(rng.next(), 2) * ctx.owners.length)];
  const { name, words } = makeName(ctx, owner);
  const downloads = Math.min(4_500_000, Math.floor(rng.pareto(60, 0.85)));
  const popular = downloads > 50_000;
  const title = makeTitle(rng, words);
  const summary = makeSummary(rng);
  const { releases, firstEra, lastEra } = makeReleases(ctx, name, popular);
  const first = Date.parse(releases[0].released_at);
  const last = Date.parse(releases[releases.length - 1].released_at);

  const mod: DatasetMod = {
    name,
    title,
    owner,
    summary,
    downloads_count: downloads,
    releases,
  };
  const category = index < CURRENT_CATEGORIES.length ? { category: CURRENT_CATEGORIES[index] } : pickCategory(rng);
  if (category.category !== undefined) mod.category = category.category;
  if (category.wire) mod.wire = category.wire;
  mod.score = rng.chance(0.3) ? 0 : Math.round((rng.next() - 0.3) * 12 * (1 + Math.log10(1 + downloads)) * 30) / 30;

  const thumb = T.thumbnail.pick(rng);
  if (thumb === 'hash') mod.thumbnail = flat('/assets/', rng.hex(40), '.thumb.png');
  else if (thumb === 'empty') mod.thumbnail = '/assets/.thumb.png';
  if (rng.chance(0.015)) {
    const when = first + Math.floor(rng.next() * (DATASET_NOW - first));
    mod.last_highlighted_at = rng.chance(0.5) ? portalDate(when) : portalTime(when);
  }

  mod.created_at = portalTime(first - Math.floor(rng.next() * 3 * DAY));
  mod.updated_at = portalTime(Math.min(DATASET_NOW, last + (rng.chance(0.2) ? Math.floor(rng.next() * 60 * DAY) : Math.floor(rng.next() * HOUR))));
  if (rng.chance(0.3)) mod.changelog = makeChangelog(rng, releases);
  if (rng.chance(0.45)) mod.description = makeDescription(rng, title, summary);
  if (rng.chance(0.05)) mod.faq = `**Does it work with ${rng.pick(NAME_WORDS)} mods?**\n\nMostly.`;
  const repo = `${owner}/${name}`;
  const homepage = T.homepage.pick(rng);
  if (homepage === 'repo') mod.homepage = `https://github.com/${repo}`;
  else if (homepage === 'discord') mod.homepage = `https://discord.gg/${rng.hex(8)}`;
  else if (homepage === 'empty') mod.homepage = '';
  else if (homepage === 'text') mod.homepage = 'See the forum thread';
  if (rng.chance(0.35)) mod.source_url = `https://github.com/${repo}`;
  const github = T.githubPath.pick(rng);
  if (github === 'path') mod.github_path = repo;
  else if (github === 'empty') mod.github_path = '';
  if (rng.chance(0.25)) mod.images = makeImages(rng);

  const tags = new Set<string>();
  if (index < CURRENT_TAGS.length) tags.add(CURRENT_TAGS[index]);
  const tagCount = T.tagCount.pick(rng);
  while (tags.size < tagCount) tags.add(rng.pick(CURRENT_TAGS));
  if (tags.size > 0) {
    mod.tags = [...tags];
    if (index >= CURRENT_TAGS.length && rng.chance(0.005)) {
      mod.wire = {
        ...mod.wire,
        tag: mod.tags.map((t, i) => ({ id: i + 1, name: t, title: t.split('-').map(capitalise).join(' '), description: '', type: 'Tag' })),
      };
    }
  }
  const license = T.licenseKind.pick(rng);
  if (license === 'default') mod.license = { ...T.license.pick(rng) };
  else if (license === 'custom') {
    const id = `custom_${rng.hex(24)}`;
    mod.license = { id, name: id, title: 'Custom license', description: 'See LICENSE in the mod.', url: `https://github.com/${repo}/blob/main/LICENSE` };
  }
  if (rng.chance(lastEra < ERA_INDEX_2_0 - 1 ? 0.06 : 0.012)) mod.deprecated = true;

  ctx.targets.push({ name, firstEra, lastEra, releases });
  return mod;
}

/** `count` generated mods (the fixed cases not included). */
export function generateBulkMods(count: number, seed: number): DatasetMod[] {
  const rng = new Rng(seed);
  const usedNames = new Set<string>([...CASE_NAMES, ...BUILTIN_NAMES].map((n) => n.toLowerCase()));
  const ctx: GenContext = { rng, usedNames, owners: makeOwners(rng, Math.max(20, Math.ceil(count / 3))), targets: [] };
  const mods: DatasetMod[] = [];
  for (let i = 0; i < count; i++) mods.push(makeBulkMod(ctx, i));
  return mods;
}
