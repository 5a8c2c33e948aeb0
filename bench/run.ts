// `npm run bench -- NAME…`: runs bench/NAME.ts (each exports `run()`), or every benchmark when no
// name is given. Benchmarks print their own figures and goals; they are never part of `npm test`. Files with a `-` in their name are helpers (e.g. a sender process), not benchmarks.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('-'))
  .map((f) => f.slice(0, -3));

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
// Servers under test run from the build, as `npm start` does (tsx's transform adds its own costs).
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`== bench ${name} ==`);
  const mod = (await import(`./${name}.ts`)) as { run(): Promise<void> };
  await mod.run();
}
