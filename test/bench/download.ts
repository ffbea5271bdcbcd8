// Bench section: memory while downloading a 200 MB release from a local portal (in its
// own process) through its redirect, streamed to disk and hashed. The figures are the
// growth of this process's peak RSS and heap over the download: flat means tens of MB
// (chunks waiting for the collector), whatever the size, where holding the file would
// cost its size, or twice it.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PortalClient } from '../../src/portal/client';
import { downloadRelease } from '../../src/portal/download';
import type { Release } from '../../src/portal/types';
import type { BenchSection, Figure } from './bench';

const SIZE = 200 * 1024 * 1024;
const MB = 1024 * 1024;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

export const largeDownload: BenchSection = {
  name: 'download',
  async run(): Promise<Figure[]> {
    const root = path.join(__dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'download-server.ts'), String(SIZE)], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'fmp-bench-download-'));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`the download server exited (${code})`)));
      });
      const { url, credentials, release } = JSON.parse(line) as { url: string; credentials: { username: string; token: string }; release: Release };
      const client = new PortalClient({ baseUrl: url, userAgent: 'factorio-mod-portal-bench/0.1.0', timeoutMs: 60_000 });

      collectGarbage();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      let peakBuffers = before.arrayBuffers;
      const sample = (): void => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
      };
      const timer = setInterval(sample, 20);
      const start = performance.now();
      let progressCalls = 0;
      const saved = await downloadRelease(client, release, {
        folder: dir,
        fileName: release.file_name,
        credentials,
        onProgress: () => {
          progressCalls++;
          if (progressCalls % 64 === 0) sample();
        },
      });
      const ms = performance.now() - start;
      clearInterval(timer);
      sample();
      return [
        { label: 'release size', value: saved.bytes / MB, unit: 'MB' },
        { label: 'download through the redirect, sha1 verified: time', value: ms, unit: 'ms' },
        { label: 'throughput', value: saved.bytes / MB / (ms / 1000), unit: 'MB/s' },
        { label: 'peak RSS growth during the download', value: (peakRss - before.rss) / MB, unit: 'MB', target: '< 64' },
        { label: 'peak JS heap growth during the download', value: (peakHeap - before.heapUsed) / MB, unit: 'MB', target: '< 20' },
        { label: 'peak ArrayBuffer growth during the download', value: (peakBuffers - before.arrayBuffers) / MB, unit: 'MB', target: '< 64' },
      ];
    } finally {
      child.stdin?.end();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
