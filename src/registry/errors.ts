// Errors a registry raises for programming mistakes: bad definitions, conflicting registrations,
// label values that do not match a family's label names. Data-driven failures (a cardinality limit)
// never throw; they are counted instead.

export class RegistryError extends Error {
  override name = 'RegistryError';
}
