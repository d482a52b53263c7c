/**
 * The Ruche app icons, drawn by code so they can be regenerated and reviewed as a diff of
 * numbers rather than of pixels: a honeycomb of seven pointy-top hexagonal cells.
 *
 * - color.png: 192x192, opaque honey background, white cells and a dark centre cell.
 * - outline.png: 32x32, white cells on a fully transparent background; every pixel is
 *   either fully transparent or opaque white, as Teams asks of outline icons.
 */
import { PNG } from 'pngjs';

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Honey: the colour icon's background and the manifest's accentColor. */
export const ACCENT_COLOR = '#E39B0F';

type Rgba = readonly [number, number, number, number];

const BACKGROUND: Rgba = [0xe3, 0x9b, 0x0f, 0xff];
const CELL: Rgba = [0xff, 0xff, 0xff, 0xff];
const CENTRE_CELL: Rgba = [0x5a, 0x3a, 0x06, 0xff];
const WHITE: Rgba = [0xff, 0xff, 0xff, 0xff];
const TRANSPARENT: Rgba = [0, 0, 0, 0];

const SQRT3 = Math.sqrt(3);

interface Cell {
  /** Centre, in units of the cell pitch R (distance from a cell centre to its corners). */
  readonly x: number;
  readonly y: number;
  readonly centre: boolean;
}

/** The centre cell and its six neighbours (pointy-top hexagons). */
const HONEYCOMB: readonly Cell[] = [
  { x: 0, y: 0, centre: true },
  { x: SQRT3, y: 0, centre: false },
  { x: -SQRT3, y: 0, centre: false },
  { x: SQRT3 / 2, y: 1.5, centre: false },
  { x: -SQRT3 / 2, y: 1.5, centre: false },
  { x: SQRT3 / 2, y: -1.5, centre: false },
  { x: -SQRT3 / 2, y: -1.5, centre: false },
];

/** Width and height of the honeycomb, in units of R. */
const HONEYCOMB_WIDTH = 3 * SQRT3;
const HONEYCOMB_HEIGHT = 5;

/** Whether (dx, dy), relative to a hexagon's centre, lies inside a pointy-top hexagon of circumradius r. */
function insideHexagon(dx: number, dy: number, r: number): boolean {
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  return ax <= (SQRT3 / 2) * r && ay + ax / SQRT3 <= r;
}

interface Glyph {
  /** Size of the square image in pixels. */
  readonly size: number;
  /** Part of the image, on each side, left free around the honeycomb (0..0.5). */
  readonly margin: number;
  /** Drawn cell radius as a fraction of the pitch; the rest is the gap between cells. */
  readonly cellFill: number;
}

/** Which cell of the honeycomb covers the point (px, py) in pixels, if any. */
function cellAt(glyph: Glyph, px: number, py: number): Cell | undefined {
  const available = glyph.size * (1 - 2 * glyph.margin);
  const pitch = available / Math.max(HONEYCOMB_WIDTH, HONEYCOMB_HEIGHT);
  const centre = glyph.size / 2;
  const radius = pitch * glyph.cellFill;
  return HONEYCOMB.find((cell) => insideHexagon(px - (centre + cell.x * pitch), py - (centre + cell.y * pitch), radius));
}

function setPixel(png: PNG, x: number, y: number, [r, g, b, a]: Rgba): void {
  const i = (png.width * y + x) * 4;
  png.data[i] = r;
  png.data[i + 1] = g;
  png.data[i + 2] = b;
  png.data[i + 3] = a;
}

function encode(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6, inputHasAlpha: true });
}

/** The outline icon's centre cell is hollow, echoing the dark centre cell of the colour icon. */
function insideCentreHole(glyph: Glyph, px: number, py: number): boolean {
  const pitch = (glyph.size * (1 - 2 * glyph.margin)) / Math.max(HONEYCOMB_WIDTH, HONEYCOMB_HEIGHT);
  return insideHexagon(px - glyph.size / 2, py - glyph.size / 2, pitch * glyph.cellFill * 0.45);
}

/** The 192x192 colour icon: antialiased by 4x4 supersampling, opaque everywhere. */
export function renderColorIcon(): Buffer {
  const glyph: Glyph = { size: COLOR_ICON_SIZE, margin: 0.19, cellFill: 0.86 };
  const png = new PNG({ width: glyph.size, height: glyph.size });
  const samples = 4;
  for (let y = 0; y < glyph.size; y++) {
    for (let x = 0; x < glyph.size; x++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const cell = cellAt(glyph, x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
          const colour = cell === undefined ? BACKGROUND : cell.centre ? CENTRE_CELL : CELL;
          sum[0]! += colour[0];
          sum[1]! += colour[1];
          sum[2]! += colour[2];
        }
      }
      const n = samples * samples;
      setPixel(png, x, y, [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n), 0xff]);
    }
  }
  return encode(png);
}

/**
 * The 32x32 outline icon: one sample per pixel centre, so every pixel is either opaque
 * white or fully transparent, with no antialiased grey edge.
 */
export function renderOutlineIcon(): Buffer {
  const glyph: Glyph = { size: OUTLINE_ICON_SIZE, margin: 0.02, cellFill: 0.8 };
  const png = new PNG({ width: glyph.size, height: glyph.size });
  for (let y = 0; y < glyph.size; y++) {
    for (let x = 0; x < glyph.size; x++) {
      const cell = cellAt(glyph, x + 0.5, y + 0.5);
      const white = cell !== undefined && !(cell.centre && insideCentreHole(glyph, x + 0.5, y + 0.5));
      setPixel(png, x, y, white ? WHITE : TRANSPARENT);
    }
  }
  return encode(png);
}

export interface IconProblem {
  readonly file: string;
  readonly message: string;
}

/** Checks what Teams checks of the two icons: sizes, and white-on-transparent for the outline. */
export function checkIcons(color: Buffer, outline: Buffer): IconProblem[] {
  const problems: IconProblem[] = [];
  const colorPng = PNG.sync.read(color);
  if (colorPng.width !== COLOR_ICON_SIZE || colorPng.height !== COLOR_ICON_SIZE) {
    problems.push({ file: 'color.png', message: `must be ${COLOR_ICON_SIZE}x${COLOR_ICON_SIZE}, is ${colorPng.width}x${colorPng.height}` });
  }
  const outlinePng = PNG.sync.read(outline);
  if (outlinePng.width !== OUTLINE_ICON_SIZE || outlinePng.height !== OUTLINE_ICON_SIZE) {
    problems.push({ file: 'outline.png', message: `must be ${OUTLINE_ICON_SIZE}x${OUTLINE_ICON_SIZE}, is ${outlinePng.width}x${outlinePng.height}` });
  }
  const d = outlinePng.data;
  let opaque = 0;
  let stray = false;
  for (let i = 0; i < d.length; i += 4) {
    const alpha = d[i + 3]!;
    if (alpha === 0) continue;
    if (alpha !== 0xff || d[i] !== 0xff || d[i + 1] !== 0xff || d[i + 2] !== 0xff) {
      const p = i / 4;
      problems.push({
        file: 'outline.png',
        message: `pixel (${p % outlinePng.width}, ${Math.floor(p / outlinePng.width)}) is neither transparent nor opaque white`,
      });
      stray = true;
      break;
    }
    opaque++;
  }
  if (!stray && opaque === 0) problems.push({ file: 'outline.png', message: 'has no visible (white) pixel' });
  return problems;
}
