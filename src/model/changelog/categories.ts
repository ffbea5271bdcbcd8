// The categories the game knows, in the order it shows them; any other name is shown
// after these.

export const KNOWN_CATEGORIES: readonly string[] = [
  'Major Features',
  'Features',
  'Minor Features',
  'Graphics',
  'Sounds',
  'Optimizations',
  'Balancing',
  'Combat Balancing',
  'Circuit Network',
  'Changes',
  'Bugfixes',
  'Modding',
  'Scripting',
  'Gui',
  'Control',
  'Translation',
  'Debug',
  'Ease of use',
  'Info',
  'Locale',
];

const KNOWN = new Set(KNOWN_CATEGORIES);
/**
 * Known names by their letters alone, lower case, also without a plural ending: "bug
 * fixes", "BugFixes" and "Bugfix" all mean Bugfixes.
 */
const LOOSE = new Map(
  KNOWN_CATEGORIES.flatMap((name) => {
    const key = looseKey(name);
    return [key, key.replace(/s$/, ''), key.replace(/es$/, '')].map((k) => [k, name] as const);
  }),
);

function looseKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

export function isKnownCategory(name: string): boolean {
  return KNOWN.has(name);
}

/** The known category an unknown name most likely means (same letters, other case or spacing). */
export function knownCategoryLike(name: string): string | undefined {
  // Long names are no category's misspelling; the cap keeps the key cheap.
  if (name.length > 40) return undefined;
  const like = LOOSE.get(looseKey(name));
  return like !== name ? like : undefined;
}
