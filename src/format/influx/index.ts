export { LineProtocolError } from './errors.ts';
export {
  clonePoint,
  FieldType,
  LineProtocolScanner,
  type ParsedPoint,
  Point,
  type Precision,
  parseLineProtocol,
  parsePrecision,
  type ScanOptions,
  scanLineProtocol,
} from './parser.ts';
