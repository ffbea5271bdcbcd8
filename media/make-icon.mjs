// Draws the extension's icons: media/icon.png (128x128, the marketplace icon) and
// media/explorer.svg (the activity-bar icon). Only node built-ins, so anyone can
// regenerate them with `node media/make-icon.mjs`; the output is deterministic.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

const TAU = Math.PI * 2;

// ---- geometry: shapes are lists of closed polygons, filled with the non-zero rule ----

/** Points along a circle arc, from angle a to b (radians), inclusive. */
function arc(cx, cy, r, a, b, steps) {
  const pts = [];
  for (let i = 0; i <= steps; i++) {
    const t = a + ((b - a) * i) / steps;
    pts.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  return pts;
}

/** A gear outline, clockwise on screen (y down), teeth as trapezoids with arc tips. */
export function gear({ cx, cy, root, tip, teeth, rootFill = 0.56, tipFill = 0.34, offset = 0, steps = 8 }) {
  const period = TAU / teeth;
  const pts = [];
  for (let i = 0; i < teeth; i++) {
    const a = offset + i * period;
    const rootHalf = (period * rootFill) / 2;
    const tipHalf = (period * tipFill) / 2;
    pts.push(...arc(cx, cy, tip, a - tipHalf, a + tipHalf, steps));
    pts.push(...arc(cx, cy, root, a + rootHalf, a + period - rootHalf, steps));
  }
  return pts;
}

/** A circle, counter-clockwise when `hole`, so it cuts out of a clockwise shape. */
export function circle(cx, cy, r, { hole = false, steps = 64 } = {}) {
  const pts = arc(cx, cy, r, 0, TAU, steps).slice(0, -1);
  return hole ? pts.reverse() : pts;
}

/** A rounded rectangle, clockwise, or counter-clockwise when `hole`. */
export function roundedRect(x, y, w, h, r, { hole = false, steps = 8 } = {}) {
  const pts = [
    ...arc(x + w - r, y + r, r, -TAU / 4, 0, steps),
    ...arc(x + w - r, y + h - r, r, 0, TAU / 4, steps),
    ...arc(x + r, y + h - r, r, TAU / 4, TAU / 2, steps),
    ...arc(x + r, y + r, r, TAU / 2, (TAU * 3) / 4, steps),
  ];
  return hole ? pts.reverse() : pts;
}

function windingNumber(polys, x, y) {
  let wn = 0;
  for (const poly of polys) {
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i];
      const [x1, y1] = poly[(i + 1) % poly.length];
      const side = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0);
      if (y0 <= y) {
        if (y1 > y && side > 0) wn++;
      } else if (y1 <= y && side < 0) wn--;
    }
  }
  return wn;
}

/** Fraction of the pixel (px, py) that the shape covers, from an n x n grid of samples. */
export function coverage(polys, px, py, n = 4) {
  let inside = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      if (windingNumber(polys, px + (sx + 0.5) / n, py + (sy + 0.5) / n) !== 0) inside++;
    }
  }
  return inside / (n * n);
}

// ---- PNG encoding ----

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (width * height * 4 bytes, rows top to bottom) to a PNG file's bytes. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing ----

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/**
 * Paints layers back to front; each layer is { polys, color(y) -> [r, g, b] }.
 * Straight alpha "over" compositing on a transparent canvas.
 */
export function render(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        const cov = coverage(layer.polys, px, py);
        if (cov === 0) continue;
        const [lr, lg, lb] = layer.color(py / size);
        const outA = cov + a * (1 - cov);
        r = (lr * cov + r * a * (1 - cov)) / outA;
        g = (lg * cov + g * a * (1 - cov)) / outA;
        b = (lb * cov + b * a * (1 - cov)) / outA;
        a = outA;
      }
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(r);
      rgba[i + 1] = Math.round(g);
      rgba[i + 2] = Math.round(b);
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

export function iconLayers() {
  const background = [roundedRect(4, 4, 120, 120, 22, { steps: 16 })];
  const cog = [
    gear({ cx: 64, cy: 64, root: 36, tip: 48, teeth: 10, offset: -TAU / 4, steps: 10 }),
    circle(64, 64, 15, { hole: true, steps: 96 }),
  ];
  return [
    { polys: background, color: (t) => mix([52, 56, 64], [30, 32, 37], t) },
    { polys: cog, color: (t) => mix([255, 178, 64], [226, 118, 20], t) },
  ];
}

/** The activity-bar icon: a gear beside a crate, on a 24x24 grid. */
export function explorerPolys() {
  return [
    gear({ cx: 7.5, cy: 7.5, root: 4.9, tip: 6.6, teeth: 8, offset: TAU / 16, steps: 3 }),
    circle(7.5, 7.5, 2, { hole: true, steps: 24 }),
    roundedRect(12, 12, 10.5, 10.5, 1.5, { steps: 3 }),
    // A solid lid above a hollow body reads as a box rather than a window.
    roundedRect(13.75, 16.25, 7, 4.5, 0.5, { hole: true, steps: 2 }),
  ];
}

export function toSvg(polys, size) {
  const fmt = (v) => String(Math.round(v * 100) / 100);
  const d = polys
    .map((poly) => `M${poly.map(([x, y]) => `${fmt(x)} ${fmt(y)}`).join('L')}Z`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><path fill="#c5c5c5" fill-rule="nonzero" d="${d}"/></svg>\n`;
}

function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  writeFileSync(join(here, 'icon.png'), encodePng(128, 128, render(128, iconLayers())));
  writeFileSync(join(here, 'explorer.svg'), toSvg(explorerPolys(), 24));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
