/** Writes appPackage/color.png and appPackage/outline.png from src/icons.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderColorIcon, renderOutlineIcon } from '../src/icons.js';
import { appPackageDir } from '../src/paths.js';

const dir = appPackageDir();
writeFileSync(join(dir, 'color.png'), renderColorIcon());
writeFileSync(join(dir, 'outline.png'), renderOutlineIcon());
console.log(`icons written to ${dir}`);
