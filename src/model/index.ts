export * from './hash.ts';
export * from './labels.ts';
export * from './metadata.ts';
export * from './names.ts';
export * from './staleness.ts';
