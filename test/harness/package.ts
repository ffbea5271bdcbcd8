// `npm run package`: production bundle, then a .vsix at the repo root. vsce's warnings
// fail the step, so a manifest problem is fixed at its cause instead of piling up.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { log, REPO_ROOT, run } from './proc';
import { listZip } from './zip';

export interface PackageResult {
  vsix: string;
  /** Entries of the archive, with uncompressed sizes. */
  files: Array<{ name: string; size: number }>;
}

export function vsixPath(): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);
}

export async function packageExtension(): Promise<PackageResult> {
  log('production build: node esbuild.mjs --production');
  await run(process.execPath, ['esbuild.mjs', '--production']);

  const vsix = vsixPath();
  log(`vsce package --no-dependencies -> ${path.relative(REPO_ROOT, vsix)}`);
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  // No stdin: vsce asks "continue? [y/N]" for some problems, and must not wait on it.
  const result = await run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix]);
  const output = `${result.stdout}\n${result.stderr}`;
  const warnings = output.split('\n').filter((line) => /\bWARNING\b/i.test(line));
  if (warnings.length > 0) throw new Error(`vsce reported warnings:\n${warnings.join('\n')}`);

  const files = listZip(readFileSync(vsix)).map(({ name, size }) => ({ name, size }));
  return { vsix, files };
}

if (require.main === module) {
  packageExtension().then(
    ({ vsix, files }) => {
      console.log(`\n${vsix}`);
      for (const file of files) console.log(`  ${String(file.size).padStart(9)}  ${file.name}`);
    },
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
