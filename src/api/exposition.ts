// GET /metrics: every collector rendered in the format the client asked for (Accept), gzipped when
// it accepts gzip. The same plugin serves the main listener and the drop-in listeners.

import type { FastifyInstance } from 'fastify';
import type { Collector, MetricFamily } from '../format/exposition/family.ts';
import type { ExpositionProtocol } from '../format/exposition/negotiate.ts';
import { renderExpositionAsync } from '../format/exposition/render.ts';

export interface ExpositionOptions {
  readonly collectors: () => readonly Collector[];
  readonly path?: string;
  /** Told the negotiated protocol of every response (for the self-metrics). */
  readonly onRender?: (protocol: ExpositionProtocol) => void;
}

export async function expositionRoutes(app: FastifyInstance, opts: ExpositionOptions): Promise<void> {
  app.get(opts.path ?? '/metrics', async (req, reply) => {
    const families: MetricFamily[] = [];
    for (const c of opts.collectors()) for (const f of c.collect()) families.push(f);
    const out = await renderExpositionAsync(families, req.headers.accept, req.headers['accept-encoding']);
    opts.onRender?.(out.format.protocol);
    reply.header('content-type', out.contentType);
    if (out.contentEncoding) reply.header('content-encoding', out.contentEncoding);
    return reply.send(out.body);
  });
}
