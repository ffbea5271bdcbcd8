// Vocabulary for generated mod names, titles, owners and texts.

export const NAME_WORDS = [
  'belt', 'train', 'rail', 'loader', 'inserter', 'miner', 'drill', 'turret', 'armor', 'robot',
  'logistic', 'chest', 'tank', 'pipe', 'fluid', 'power', 'solar', 'nuclear', 'reactor', 'steam',
  'boiler', 'furnace', 'smelter', 'assembler', 'science', 'research', 'bio', 'alien', 'enemy', 'biter',
  'spitter', 'worm', 'nest', 'planet', 'space', 'rocket', 'satellite', 'orbit', 'recycling', 'waste',
  'ore', 'copper', 'iron', 'stone', 'coal', 'uranium', 'oil', 'plastic', 'sulfur', 'circuit',
  'signal', 'combinator', 'lamp', 'display', 'map', 'blueprint', 'book', 'tool', 'helper', 'manager',
  'tweaks', 'fix', 'patch', 'extended', 'expanded', 'more', 'better', 'bigger', 'faster', 'cheap',
  'simple', 'advanced', 'ultimate', 'mini', 'mega', 'super', 'auto', 'smart', 'easy', 'quick',
  'compact', 'dense', 'long', 'reach', 'range', 'zoom', 'speed', 'stack', 'size', 'inventory',
  'filter', 'sort', 'trash', 'wagon', 'locomotive', 'station', 'stop', 'bridge', 'tunnel', 'wall',
  'gate', 'radar', 'beacon', 'module', 'productivity', 'efficiency', 'pollution', 'tree', 'water', 'landfill',
  'cliff', 'terrain', 'tile', 'biome', 'weather', 'night', 'light', 'sound', 'music', 'gui',
  'hud', 'menu', 'button', 'hotkey', 'cursor', 'picker', 'ghost', 'deconstruction', 'upgrade', 'copy',
  'vehicle', 'car', 'spidertron', 'drone', 'ship', 'cargo', 'pod', 'platform', 'asteroid', 'crusher',
  'foundry', 'lab', 'gleba', 'fulgora', 'vulcanus', 'aquilo', 'nauvis', 'lib', 'core', 'api',
  'rebalance', 'overhaul', 'pack', 'locale', 'translation', 'storage', 'warehouse', 'factory', 'production', 'chain',
] as const;

export const NAME_PREFIXES = [
  'aai', 'bob', 'angels', '5dim', 'RSO', 'Rampant', 'SE', 'Kux', 'Py', 'Bz', 'ick', 'Squeak',
  'Warp', 'K2', 'IR', 'omni', 'Nanobots', 'LTN', 'Sea', 'Hrusa', 'cyb', 'vtk', 'Ed', 'ch',
] as const;

export const OWNER_WORDS = [
  'Klonan', 'raiguard', 'Earendel', 'Optera', 'bobingabout', 'Arch666Angel', 'Wiwiweb', 'Xorimuth',
  'kirazy', 'Honktown', 'jamiechi1', 'Pi-C', 'notnotmelon', 'Bilka', 'Therax', 'Linver', 'Deadlock989',
  'eradicator', 'justarandomgeek', 'Nexela', 'credomane', 'Choumiko', 'GotLag', 'mexmer', 'Klonan',
  'steinio', 'Kryzeth', 'Sil', 'Tierney', 'Hermios', 'snouz', 'Fr4nk', 'odin', 'mara', 'yuki', 'pavel',
  'builder', 'factoryman', 'spaghetti', 'gearhead', 'tinker', 'engineer', 'lazybones', 'nightowl',
] as const;

export const NON_LATIN_TITLES = [
  '更多的传送带', 'Улучшенные поезда', '自動化ツール', 'Больше руды', '资源扩展', 'Ηλιακή ενέργεια',
] as const;

export const SUMMARY_TEMPLATES = [
  'Adds {n} new {a}s to the game.',
  'Makes {a}s {adj}.',
  'A library of {a} helpers for other mods.',
  'Tweaks the {a} and the {b} to be more {adj}.',
  'Allows {a}s to use {b}s.',
  'Rebalances {a} and {b} recipes.',
  'Adds a {adj} {a} that works with {b}s.',
  'Shows {a} statistics in a small GUI.',
  'Overhaul of the {a} chain with {n} new intermediates.',
  'Translations of popular mods into {lang}.',
] as const;

export const ADJECTIVES = [
  'faster', 'cheaper', 'bigger', 'smaller', 'smarter', 'configurable', 'balanced', 'useful', 'compact', 'shiny',
] as const;

export const LANGUAGES = ['German', 'Russian', 'French', 'Brazilian Portuguese', 'Chinese', 'Japanese', 'Polish'] as const;

export const CHANGELOG_CATEGORIES = ['Changes', 'Bugfixes', 'Features', 'Minor Features', 'Locale'] as const;

export const CHANGE_LINES = [
  'Fixed a crash when {a}s were removed.',
  'Updated for the latest Factorio version.',
  'Added a setting for {a} {b}.',
  'Improved {a} performance.',
  'Changed the {a} recipe.',
  'Added {lang} translation.',
  'Fixed compatibility with other {a} mods.',
  'New {a} graphics.',
] as const;

export const OLD_CATEGORY_NAMES = [
  'general', 'non-game-changing', 'helper-mods', 'big-mods', 'transportation', 'logistics', 'utility',
  'balancing', 'enemies', 'weapons', 'armor', 'oil', 'logistics-network', 'storage', 'power-production',
  'manufacture', 'blueprints', 'cheats', 'defense', 'mining', 'info', 'trains', 'libraries',
] as const;

export const FEATURE_FLAGS = [
  'quality', 'space-travel', 'spoiling', 'freezing', 'rail-bridges', 'segmented-units', 'expansion-shaders',
] as const;
