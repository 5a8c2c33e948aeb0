// One call for the HTTP layer: negotiate the format and the coding, render, compress.

import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { MetricFamily } from './family.ts';
import { type ExpositionFormat, negotiateEncoding, negotiateFormat } from './negotiate.ts';
import { writeOpenMetricsBytes } from './openmetrics-writer.ts';
import { writeTextBytes } from './text-writer.ts';

export interface RenderedExposition {
  /** The response body: UTF-8 text, or its gzip when `contentEncoding` is set. */
  readonly body: Buffer;
  readonly contentType: string;
  /** Set when the body is compressed; send it as Content-Encoding. */
  readonly contentEncoding?: 'gzip';
  readonly format: ExpositionFormat;
}

/**
 * Fastest gzip: a scrape's repetitive text shrinks ~20× at level 1 too (3 % more bytes than the
 * default level 6, in a fifth of the time), and the time is the scrape's latency.
 */
const GZIP_OPTIONS = { level: 1 };

/** Render families in a given format (text or OpenMetrics, with its name escaping) as UTF-8. */
export function writeExposition(families: Iterable<MetricFamily>, format: ExpositionFormat): Buffer {
  return format.openMetrics
    ? writeOpenMetricsBytes(families, { escaping: format.escaping })
    : writeTextBytes(families, { escaping: format.escaping });
}

/**
 * Render for a request: `Accept` picks the format, `Accept-Encoding` whether to gzip. Synchronous
 * (gzip included); see {@link renderExpositionAsync} to compress off the event loop.
 */
export function renderExposition(
  families: Iterable<MetricFamily>,
  accept?: string | readonly string[],
  acceptEncoding?: string | readonly string[],
): RenderedExposition {
  const format = negotiateFormat(accept);
  const text = writeExposition(families, format);
  if (negotiateEncoding(acceptEncoding) === 'gzip') {
    return {
      body: gzipSync(text, GZIP_OPTIONS),
      contentType: format.contentType,
      contentEncoding: 'gzip',
      format,
    };
  }
  return { body: text, contentType: format.contentType, format };
}

/** Like {@link renderExposition}, compressing in libuv's thread pool. */
export async function renderExpositionAsync(
  families: Iterable<MetricFamily>,
  accept?: string | readonly string[],
  acceptEncoding?: string | readonly string[],
): Promise<RenderedExposition> {
  const format = negotiateFormat(accept);
  const text = writeExposition(families, format);
  if (negotiateEncoding(acceptEncoding) === 'gzip') {
    const body = await new Promise<Buffer>((resolve, reject) =>
      gzipCallback(text, GZIP_OPTIONS, (err, out) => (err ? reject(err) : resolve(out))),
    );
    return { body, contentType: format.contentType, contentEncoding: 'gzip', format };
  }
  return { body: text, contentType: format.contentType, format };
}
