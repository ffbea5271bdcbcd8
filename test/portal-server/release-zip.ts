// The zip the local portal serves for a release, and the sha1 the listings carry for
// it. The bytes are a pure function of (mod, release), so the sha1 can be computed on
// demand and memoised instead of building 250,000 zips up front.
import { createHash } from 'node:crypto';
import type { FullModEntry, Release } from '../../src/portal/types';
import { buildZip } from './zip';

/** info.json feature-flag keys for the portal's `feature_flags` names. */
const FEATURE_FLAG_KEYS: Readonly<Record<string, string>> = {
  quality: 'quality_required',
  'rail-bridges': 'rail_bridges_required',
  'space-travel': 'space_travel_required',
  spoiling: 'spoiling_required',
  freezing: 'freezing_required',
  'segmented-units': 'segmented_units_required',
  'expansion-shaders': 'expansion_shaders_required',
  expansion: 'expansion_required',
};

type ModIdentity = Pick<FullModEntry, 'name' | 'title' | 'owner'>;

/** The info.json inside the release zip. */
export function releaseInfoJson(mod: ModIdentity, release: Release): Record<string, unknown> {
  const info: Record<string, unknown> = {
    name: mod.name,
    version: release.version,
    title: mod.title,
    author: mod.owner,
    factorio_version: release.info_json.factorio_version,
    dependencies: release.info_json.dependencies ?? ['base'],
  };
  for (const flag of release.feature_flags ?? []) {
    const key = FEATURE_FLAG_KEYS[flag];
    if (key) info[key] = true;
  }
  return info;
}

export function buildReleaseZip(mod: ModIdentity, release: Release): Buffer {
  const folder = `${mod.name}_${release.version}/`;
  const info = Buffer.from(JSON.stringify(releaseInfoJson(mod, release), null, 2) + '\n', 'utf8');
  const modified = new Date(release.released_at);
  const entries: Array<{ name: string; data?: Uint8Array }> = [{ name: folder }, { name: `${folder}info.json`, data: info }];
  // A bench-only field: this many filler bytes make a release as large as the biggest real ones.
  const filler = (release as { filler_bytes?: unknown }).filler_bytes;
  if (typeof filler === 'number' && filler > 0) entries.push({ name: `${folder}filler.bin`, data: fillerBytes(filler) });
  return buildZip(
    entries,
    Number.isNaN(modified.getTime()) ? new Date(Date.UTC(2020, 0, 1)) : modified,
  );
}

/** Deterministic bytes that do not repeat within a short window. */
function fillerBytes(size: number): Buffer {
  const data = Buffer.allocUnsafe(size);
  let x = 0x9e3779b9;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data.writeInt32LE(x | 0, i);
  }
  data.fill(0, size - (size % 4));
  return data;
}

export function sha1Hex(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Gives releases a `sha1` that is the sha1 of the zip the server serves for them,
 * computed on first read and memoised. One shared accessor per hasher keeps this cheap
 * for hundreds of thousands of releases. Assigning `sha1` replaces the memoised value
 * (a test can fake a mismatch that way).
 */
export class ReleaseHasher {
  private readonly owners = new Map<object, ModIdentity>();
  private readonly memo = new Map<object, string>();
  private readonly descriptor: PropertyDescriptor;

  constructor() {
    const { owners, memo } = this;
    this.descriptor = {
      get(this: Release): string {
        let value = memo.get(this);
        if (value === undefined) {
          const mod = owners.get(this);
          value = mod ? sha1Hex(buildReleaseZip(mod, this)) : '';
          memo.set(this, value);
        }
        return value;
      },
      set(this: Release, value: string) {
        memo.set(this, value);
      },
      enumerable: true,
      configurable: true,
    };
  }

  attach(mod: ModIdentity, release: Release): void {
    this.owners.set(release, mod);
    this.memo.delete(release);
    Object.defineProperty(release, 'sha1', this.descriptor);
  }
}
