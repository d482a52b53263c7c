/** `npm run build -w manifest`: builds the app package and explains any failure. */
import { relative } from 'node:path';
import { ManifestBuildError } from './errors.js';
import { buildAppPackage, type BuildOptions } from './package.js';
import { VARIABLES } from './variables.js';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Returns the process exit code. */
export async function main(options: BuildOptions = {}, out: Output = console): Promise<number> {
  try {
    const result = await buildAppPackage(options);
    out.log(`Teams app package written to ${relative(process.cwd(), result.outFile) || result.outFile}`);
    out.log(`  mode: ${result.production ? 'production' : 'local (NODE_ENV is not production: local defaults allowed)'}`);
    const env = options.env ?? process.env;
    for (const spec of VARIABLES) {
      const source = env[spec.name]?.trim() ? 'env' : 'default';
      out.log(`  ${spec.name.padEnd(18)} ${result.variables[spec.name]} (${source})`);
    }
    out.log(`  files: ${result.files.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ManifestBuildError) {
      out.error(`Teams app package not built [${error.code}]: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
