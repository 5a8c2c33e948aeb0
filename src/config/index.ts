export * from './address.ts';
export * from './load.ts';
export * from './schema.ts';
