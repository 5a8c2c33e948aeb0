// Time source of the registry, in milliseconds since the epoch. Injected so that tests can drive
// summary windows and created timestamps without waiting.

export type Clock = () => number;

export const systemClock: Clock = Date.now;
