// Prometheus remote_write 1.0 (prometheus.WriteRequest): snappy + protobuf codec, columnar.

export { columnsFromSeries, NO_EXEMPLARS, seriesFromColumns } from './columns.ts';
export {
  type DecodeOptions,
  decodeWriteRequest,
  decodeWriteRequestColumns,
  decodeWriteRequestProto,
} from './decode.ts';
export { type DecodeV2Options, decodeWriteRequestV2 } from './decode-v2.ts';
export { encodeWriteRequest, encodeWriteRequestProto } from './encode.ts';
export { encodeWriteRequestV2, encodeWriteRequestV2Proto } from './encode-v2.ts';
export { RemoteWriteDecodeError } from './errors.ts';
export { type PlainSeries, writeRequestFromObjects } from './from-objects.ts';
export { metricTypeFromWire, metricTypeToWire } from './metric-type.ts';
export type { SeriesKeys } from './series-keys.ts';
export {
  snappyCompress,
  snappyDecodedLength,
  snappyUncompress,
  snappyUncompressTransient,
} from './snappy.ts';
export type {
  DecodedExemplars,
  DecodedSeries,
  DecodedWriteRequest,
  RemoteWriteMetadata,
  SeriesInput,
  WriteRequestColumns,
  WriteRequestInput,
} from './types.ts';
