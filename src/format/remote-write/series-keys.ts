// Naming a request's series by the bytes that spell them. A sender repeats the same series, written
// the same way, in every request; a receiver that remembers which bytes meant which series can skip
// decoding, sorting and validating those labels (the same bytes always mean the same label set).
// The decoder asks a SeriesKeys for each series' id and decodes labels only for bytes it has not seen.

import type { Labels } from '../../model/labels.ts';

export interface SeriesKeys {
  /** The id of the series whose Label fields are the bytes `buf[start, end)`, or -1 when not known. */
  find(buf: Uint8Array, start: number, end: number): number;
  /** The id of `labels`, decoded from `buf[start, end)`; remembers those bytes for it. */
  add(buf: Uint8Array, start: number, end: number, labels: Labels): number;
  /** The id of `labels`, decoded from bytes that cannot serve as a key (fields interleaved). */
  idOf(labels: Labels): number;
  /**
   * The byte length of the key expected next, when `buf[start, limit)` begins with it; else -1. A
   * hint that lets the decoder skip over a known series' Label fields; it must still see that they
   * end there, and then asks {@link find} as usual.
   */
  expectedAt?(buf: Uint8Array, start: number, limit: number): number;
}
