// One display name per category, wherever a category is shown (the explorer, hovers,
// completion, the details panel): the portal sends machine names ("mod-packs"), old mods
// carry retired ones ("big-mods"), and a mod without one has "no-category" or nothing.

const TITLES: Readonly<Record<string, string>> = {
  'no-category': 'No category',
  content: 'Content',
  overhaul: 'Overhaul',
  tweaks: 'Tweaks',
  utilities: 'Utilities',
  scenarios: 'Scenarios',
  'mod-packs': 'Mod packs',
  localizations: 'Localizations',
  internal: 'Internal',
};

/** The category a mod is grouped under: no value and "no-category" are the same group. */
export function categoryKey(category: string | undefined): string {
  return category === undefined || category === '' ? 'no-category' : category;
}

/** "mod-packs" → "Mod packs"; a retired value gets the same shape ("big-mods" → "Big mods"). */
export function categoryTitle(category: string | undefined): string {
  const key = categoryKey(category);
  const known = TITLES[key];
  if (known !== undefined) return known;
  const words = key.replace(/[-_]+/g, ' ').trim();
  return words === '' ? key : words.charAt(0).toUpperCase() + words.slice(1);
}
