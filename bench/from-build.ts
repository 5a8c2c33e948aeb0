// Modules under measurement, loaded from the build (`dist/`, what `npm start` runs; bench/run.ts
// builds first) rather than from source: under tsx every imported binding is read through a getter,
// which made the UDP inputs' handling alone ~40 % slower.

/** The built module of `src/<path>.ts`, typed by the caller as `typeof import('../src/<path>.ts')`. */
export async function fromBuild<T>(path: string): Promise<T> {
  return (await import(new URL(`../dist/${path}.js`, import.meta.url).href)) as T;
}

/** The registry, from the build: the inputs' families and self-metrics must be the built ones too. */
export const { createInputMetrics, Registry } =
  await fromBuild<typeof import('../src/registry/index.ts')>('registry/index');
