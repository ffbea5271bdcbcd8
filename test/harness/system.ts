// The Debian packages code-server and the headless workbench need: build headers for
// code-server's native modules, ripgrep, Chromium. Checked by what they leave on disk,
// and installed with apt-get when missing and allowed (root, or sudo without a password),
// so `npm test` and `npm run try` work on a fresh machine, not only under .ci/run.
import { existsSync } from 'node:fs';
import { log, run } from './proc';

interface Requirement {
  pkg: string;
  /** Any of these paths present means the package is installed. */
  paths: string[];
}

const BUILD: Requirement[] = [
  { pkg: 'build-essential', paths: ['/usr/bin/g++', '/usr/bin/make'] },
  { pkg: 'python3', paths: ['/usr/bin/python3', '/usr/local/bin/python3'] },
  { pkg: 'pkg-config', paths: ['/usr/bin/pkg-config'] },
  { pkg: 'libkrb5-dev', paths: ['/usr/include/krb5.h', '/usr/include/krb5/krb5.h'] },
  { pkg: 'libx11-dev', paths: ['/usr/include/X11/Xlib.h'] },
  { pkg: 'libxkbfile-dev', paths: ['/usr/include/X11/extensions/XKBfile.h'] },
  { pkg: 'libsecret-1-dev', paths: ['/usr/include/libsecret-1/libsecret/secret.h'] },
  { pkg: 'ripgrep', paths: ['/usr/bin/rg'] },
];
const BROWSER: Requirement[] = [{ pkg: 'chromium', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'] }];

function missing(requirements: Requirement[]): string[] {
  return requirements.filter((r) => !r.paths.some((p) => existsSync(p))).map((r) => r.pkg);
}

/** Makes sure the packages are there; `browser` adds Chromium (tests and screenshots). */
export async function ensureSystemPackages(options: { browser: boolean }): Promise<void> {
  const wanted = missing(options.browser ? [...BUILD, ...BROWSER] : BUILD);
  if (wanted.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(`missing system packages: ${wanted.join(' ')} (no apt-get here: install them with your package manager)`);
  }
  log(`installing Debian packages: ${wanted.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => (sudo.length ? run(sudo[0]!, [...sudo.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env }));
  try {
    await apt(['update']);
    await apt(['install', '-y', ...wanted]);
  } catch (error) {
    throw new Error(`could not install ${wanted.join(' ')}: run as root, or install them yourself.\n${String(error instanceof Error ? error.message : error)}`);
  }
}
