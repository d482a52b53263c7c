/** Entry point of `npm run build -w manifest` (compiled to dist/scripts/build.js). */
import { main } from '../src/cli.js';

process.exitCode = await main({ env: process.env });
