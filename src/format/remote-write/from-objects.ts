// Builds the encoder's columnar input from plain objects: handy in tests and small senders. Values
// pass through JS numbers here, so use the columnar form when NaN payloads matter.

import { Labels } from '../../model/labels.ts';
import type { RemoteWriteMetadata, SeriesInput, WriteRequestInput } from './types.ts';

export interface PlainSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly { readonly value: number; readonly timestamp: number }[];
}

export function writeRequestFromObjects(req: {
  readonly series: readonly PlainSeries[];
  readonly metadata?: readonly RemoteWriteMetadata[];
}): WriteRequestInput {
  const series: SeriesInput[] = req.series.map((s) => {
    const timestamps = new Float64Array(s.samples.length);
    const values = new Float64Array(s.samples.length);
    s.samples.forEach((p, i) => {
      timestamps[i] = p.timestamp;
      values[i] = p.value;
    });
    return { labels: Labels.from(s.labels), timestamps, values };
  });
  return { series, metadata: req.metadata ?? [] };
}
