// The Hermes registry rendered on its own (the drop-in /metrics): after the README's packets the
// text exposition is what Hermes (client_golang) serves for its own metrics.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeText } from '../../../src/format/exposition/text-writer.ts';
import { startHermes } from './harness.ts';
import { SEED_PACKETS } from './seed-packets.ts';

const L = 'label_1="testing label 1"';
const bucket = (le: string, n: number) => `sample_histogram_bucket{${L},le="${le}"} ${n}`;

const EXPECTED = [
  '# HELP sample_counter counters are awesome too',
  '# TYPE sample_counter counter',
  `sample_counter{${L}} 1`,
  '# HELP sample_gauge gauges are awesome',
  '# TYPE sample_gauge gauge',
  `sample_gauge{${L},label_2="testing label 2"} 65.4`,
  '# HELP sample_histogram histograms observe things',
  '# TYPE sample_histogram histogram',
  ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'].map((le) =>
    bucket(le, 0),
  ),
  bucket('+Inf', 1),
  `sample_histogram_sum{${L}} 65.4`,
  `sample_histogram_count{${L}} 1`,
  '# HELP sample_summary summaries sum things',
  '# TYPE sample_summary summary',
  `sample_summary_sum{${L}} 65.4`,
  `sample_summary_count{${L}} 1`,
  '',
].join('\n');

describe('hermes exposition', () => {
  it('renders the README state like client_golang: default buckets, summaries without quantiles', async () => {
    const h = await startHermes();
    try {
      // One at a time: increment, decrement, then set must stay in order.
      for (const [i, packet] of SEED_PACKETS.entries()) {
        await h.send([packet]);
        await h.waitForHandled(i + 1);
      }
      assert.equal(writeText(h.registry.collect()), EXPECTED);
    } finally {
      await h.close();
    }
  });
});
