// The logger the WAL reports recoveries to. Structured fields first, like pino, which satisfies it.

export interface WalLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export const silentLogger: WalLogger = {
  warn() {},
  info() {},
};
