import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { benchRoot, writeResult, type Benchmark } from './benchmark.js';
import { startup } from './benchmarks/startup.js';
import { graphSync } from './benchmarks/graph-sync.js';
import { feed } from './benchmarks/feed.js';
import { expertise } from './benchmarks/expertise.js';
import { bot } from './benchmarks/bot.js';
import { tabs } from './benchmarks/tabs.js';
import { spfx } from './benchmarks/spfx.js';
import { similar } from './benchmarks/similar.js';

/** `npm run bench` runs every benchmark; `npm run bench -- NAME` runs one. */
const benchmarks: Benchmark[] = [startup, graphSync, feed, expertise, bot, tabs, spfx, similar];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !benchmarks.some((b) => b.name === w));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${benchmarks.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = wanted.length > 0 ? benchmarks.filter((b) => wanted.includes(b.name)) : benchmarks;
  for (const b of chosen) {
    const workDir = path.join(benchRoot, '.work', b.name);
    await mkdir(workDir, { recursive: true });
    console.log(`== ${b.name}: ${b.description}`);
    const result = await b.run({ workDir, log: (m) => console.log(`   ${m}`) });
    const file = await writeResult(b.name, result);
    console.log(`   ${JSON.stringify(result.metrics)} -> ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
