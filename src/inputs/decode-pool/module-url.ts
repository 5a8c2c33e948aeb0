// Task modules are loaded by URL in the workers, and a URL string is not rewritten by the compiler
// the way import specifiers are: a module beside this one is `.ts` when running from source and
// `.js` once built.

/** The URL of module `name` (e.g. `./decode-task`) beside `base` (an import.meta.url), same extension. */
export function siblingModule(base: string, name: string): string {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}
