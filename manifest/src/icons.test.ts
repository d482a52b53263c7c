import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ACCENT_COLOR, checkIcons, renderColorIcon, renderOutlineIcon } from './icons.js';
import { appPackageDir } from './paths.js';

const committed = (file: string): Buffer => readFileSync(join(appPackageDir(), file));

describe('icons', () => {
  it('committed icons are exactly what the generator draws (run `npm run icons -w manifest` after a change)', () => {
    expect(PNG.sync.read(committed('color.png')).data.equals(PNG.sync.read(renderColorIcon()).data)).toBe(true);
    expect(PNG.sync.read(committed('outline.png')).data.equals(PNG.sync.read(renderOutlineIcon()).data)).toBe(true);
  });

  it('color.png is 192x192 and opaque, with the accent colour as background', () => {
    const png = PNG.sync.read(committed('color.png'));
    expect([png.width, png.height]).toEqual([192, 192]);
    for (let i = 3; i < png.data.length; i += 4) expect(png.data[i]).toBe(255);
    const corner = [...png.data.subarray(0, 3)].map((c) => c.toString(16).padStart(2, '0')).join('');
    expect(`#${corner}`.toUpperCase()).toBe(ACCENT_COLOR);
  });

  it('outline.png is 32x32, every pixel fully transparent or opaque white', () => {
    const png = PNG.sync.read(committed('outline.png'));
    expect([png.width, png.height]).toEqual([32, 32]);
    let white = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a === 0) continue;
      expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
      white++;
    }
    expect(white).toBeGreaterThan(100);
    expect(white).toBeLessThan(32 * 32);
  });

  it('checkIcons accepts the icons and names the file at fault otherwise', () => {
    expect(checkIcons(committed('color.png'), committed('outline.png'))).toEqual([]);
    expect(checkIcons(committed('outline.png'), committed('outline.png'))[0]).toMatchObject({ file: 'color.png' });
    const grey = new PNG({ width: 32, height: 32 });
    grey.data.fill(0);
    grey.data.set([128, 128, 128, 255], 4 * 40);
    const problems = checkIcons(committed('color.png'), PNG.sync.write(grey));
    expect(problems).toEqual([{ file: 'outline.png', message: 'pixel (8, 1) is neither transparent nor opaque white' }]);
  });
});
