import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCRAPE_ACCEPT_HEADER } from '../../../src/inputs/scrape/fetch.ts';
import { ScrapeManager } from '../../../src/inputs/scrape/manager.ts';
import { STALE_NAN_BITS } from '../../../src/model/staleness.ts';
import type { TimeSeriesDb } from '../../../src/tsdb/db/db.ts';
import { bits, job, only, read, startTarget, steppingClock, type TestTarget, tempDb } from './helpers.ts';

let target: TestTarget;
let store: ReturnType<typeof tempDb>;
let db: TimeSeriesDb;
const managers: ScrapeManager[] = [];

before(async () => {
  target = await startTarget();
  store = tempDb();
  db = store.db;
});

after(async () => {
  for (const m of managers) await m.stop();
  await target.close();
  await store.cleanup();
});

function manager(opts: Omit<ConstructorParameters<typeof ScrapeManager>[0], 'storage'>): ScrapeManager {
  const m = new ScrapeManager({ storage: db, ...opts });
  managers.push(m);
  return m;
}

describe('scraping a target', () => {
  test('stores every sample with job/instance, the report series, and exact staleness markers', async () => {
    const m = manager({
      configs: [job({ job_name: 'stale', targets: [target.address] })],
      now: steppingClock(),
    });
    const inst = target.address;
    target.reply.body = [
      '# TYPE temp gauge',
      'temp{room="a"} 20',
      'temp{room="b"} 21',
      '# TYPE lat histogram',
      'lat_bucket{le="1"} 1',
      'lat_bucket{le="+Inf"} 2',
      'lat_sum 3',
      'lat_count 2',
      '',
    ].join('\n');
    const [r1] = await m.scrapeAll();
    assert.equal(r1.up, true, r1.error);
    assert.equal(r1.samplesScraped, 6);
    assert.equal(r1.seriesAdded, 6);

    target.reply.body = '# TYPE temp gauge\ntemp{room="a"} 22\n';
    const [r2] = await m.scrapeAll();
    assert.equal(r2.staleMarkers, 5);
    assert.equal(r2.seriesAdded, 0);

    target.reply.body = '# TYPE temp gauge\ntemp{room="a"} 23\ntemp{room="b"} 24\n';
    const [r3] = await m.scrapeAll();
    assert.equal(r3.seriesAdded, 1);

    const temps = read(db, { __name__: 'temp', job: 'stale' });
    assert.deepEqual(temps.get(`temp{instance="${inst}", job="stale", room="a"}`), [
      [1000, bits(20)],
      [2000, bits(22)],
      [3000, bits(23)],
    ]);
    assert.deepEqual(temps.get(`temp{instance="${inst}", job="stale", room="b"}`), [
      [1000, bits(21)],
      [2000, 0x7ff0000000000002n],
      [3000, bits(24)],
    ]);
    assert.deepEqual(only(db, { __name__: 'lat_bucket', job: 'stale', le: '+Inf' }), [
      [1000, bits(2)],
      [2000, STALE_NAN_BITS],
    ]);
    assert.deepEqual(only(db, { __name__: 'up', job: 'stale' }), [
      [1000, bits(1)],
      [2000, bits(1)],
      [3000, bits(1)],
    ]);
    assert.deepEqual(
      only(db, { __name__: 'scrape_samples_scraped', job: 'stale' }).map(([, v]) => v),
      [bits(6), bits(1), bits(2)],
    );
    assert.deepEqual(
      only(db, { __name__: 'scrape_series_added', job: 'stale' }).map(([, v]) => v),
      [bits(6), bits(0), bits(1)],
    );
    const durations = only(db, { __name__: 'scrape_duration_seconds', job: 'stale' });
    assert.equal(durations.length, 3);
    assert.ok(read(db, { __name__: 'up', instance: inst, job: 'stale' }).size === 1);
    assert.equal(only(db, { __name__: 'scrape_samples_post_metric_relabeling', job: 'stale' }).length, 3);
  });

  test('a failing target: up 0, every series stale, and it recovers', async () => {
    const m = manager({
      configs: [job({ job_name: 'failing', targets: [target.address] })],
      now: steppingClock(),
    });
    target.reply.body = 'a 1\nb 2\n';
    await m.scrapeAll();
    target.reply.status = 500;
    const [r2] = await m.scrapeAll();
    target.reply.status = 200;
    assert.equal(r2.up, false);
    assert.match(r2.error, /HTTP status 500/);
    assert.equal(r2.staleMarkers, 2);
    target.reply.body = 'a 1\nb 2\nc{ 1\n';
    const [r3] = await m.scrapeAll();
    assert.equal(r3.up, false);
    assert.equal(r3.staleMarkers, 0, 'already stale');
    target.reply.body = 'a 5\n';
    const [r4] = await m.scrapeAll();
    assert.equal(r4.up, true);
    assert.equal(r4.seriesAdded, 0, 'the failures did not forget the series');
    assert.deepEqual(only(db, { __name__: 'a', job: 'failing' }), [
      [1000, bits(1)],
      [2000, STALE_NAN_BITS],
      [4000, bits(5)],
    ]);
    assert.deepEqual(only(db, { __name__: 'b', job: 'failing' }), [
      [1000, bits(2)],
      [2000, STALE_NAN_BITS],
    ]);
    assert.deepEqual(only(db, { __name__: 'up', job: 'failing' }), [
      [1000, bits(1)],
      [2000, bits(0)],
      [3000, bits(0)],
      [4000, bits(1)],
    ]);
    assert.deepEqual(
      only(db, { __name__: 'scrape_samples_scraped', job: 'failing' }).map(([, v]) => v),
      [bits(2), bits(0), bits(0), bits(1)],
    );
    const [status] = m.targets();
    assert.equal(status.health, 'up');
    assert.equal(status.lastError, '');
  });

  test('an unreachable target is down with up 0', async () => {
    const gone = await startTarget();
    const address = gone.address;
    await gone.close();
    const m = manager({ configs: [job({ job_name: 'gone', targets: [address] })], now: steppingClock() });
    const [r] = await m.scrapeAll();
    assert.equal(r.up, false);
    assert.match(r.error, /ECONNREFUSED/);
    assert.deepEqual(only(db, { __name__: 'up', job: 'gone' }), [[1000, bits(0)]]);
    assert.equal(m.targets()[0].health, 'down');
  });

  test('a scrape slower than scrape_timeout fails with a timeout and marks series stale', async () => {
    const slow = await startTarget({ body: 'slow_metric 1\n' });
    try {
      const m = manager({
        configs: [
          job({ job_name: 'slow', targets: [slow.address], scrape_interval: '1s', scrape_timeout: '100ms' }),
        ],
        now: steppingClock(),
      });
      assert.equal((await m.scrapeAll())[0].up, true);
      slow.reply.delayMs = 2000;
      const [r] = await m.scrapeAll();
      assert.equal(r.up, false);
      assert.match(r.error, /timed out after 0.1s/);
      assert.deepEqual(only(db, { __name__: 'slow_metric', job: 'slow' }), [
        [1000, bits(1)],
        [2000, STALE_NAN_BITS],
      ]);
      assert.equal(slow.requests.at(-1)?.headers['x-prometheus-scrape-timeout-seconds'], '0.1');
    } finally {
      await slow.close();
    }
  });

  test('honor_labels false: target labels win, clashing scraped labels become exported_*', async () => {
    const m = manager({
      configs: [
        {
          ...job({ job_name: 'dishonor', targets: [target.address] }),
          static_configs: [{ targets: [target.address], labels: { env: 'prod' } }],
        },
      ],
      now: steppingClock(),
    });
    target.reply.body = 'm{job="other",instance="x",exported_job="y",env="dev",keep="1"} 1\n';
    await m.scrapeAll();
    const series = [...read(db, { __name__: 'm', job: 'dishonor' }).keys()];
    assert.deepEqual(series, [
      `m{env="prod", exported_env="dev", exported_exported_job="other", exported_instance="x", exported_job="y", instance="${target.address}", job="dishonor", keep="1"}`,
    ]);
  });

  test('honor_labels true: scraped labels win, target labels fill the gaps', async () => {
    const config = job({ job_name: 'honor', targets: [target.address], honor_labels: true });
    const m = manager({
      configs: [
        { ...config, static_configs: [{ targets: [target.address], labels: { env: 'prod', dc: 'x' } }] },
      ],
      now: steppingClock(),
    });
    target.reply.body = 'hm{job="pushed",instance="box",env="dev"} 1\nhm{job="pushed",instance="box2"} 2\n';
    await m.scrapeAll();
    assert.deepEqual(
      [...read(db, { __name__: 'hm' }).keys()],
      [
        'hm{dc="x", env="dev", instance="box", job="pushed"}',
        'hm{dc="x", env="prod", instance="box2", job="pushed"}',
      ],
    );
    // The report series always carry the target's own labels.
    assert.equal(only(db, { __name__: 'up', job: 'honor', env: 'prod' }).length, 1);
  });

  test('sends Accept, gzip, auth and params; reads gzip bodies', async () => {
    const basic = manager({
      configs: [
        job({
          job_name: 'basic',
          targets: [target.address],
          basic_auth: { username: 'alice', password: 's3cret' },
          metrics_path: '/federate',
          params: { 'match[]': ['{job="a"}', 'up'], format: 'x' },
        }),
      ],
      now: steppingClock(),
    });
    const bearer = manager({
      configs: [job({ job_name: 'bearer', targets: [target.address], bearer_token: 'tok3n' })],
      now: steppingClock(),
    });
    target.reply.body = 'gz_metric 7\n';
    target.reply.gzip = true;
    try {
      const [rb] = await basic.scrapeAll();
      assert.equal(rb.up, true, rb.error);
      const reqBasic = target.requests.at(-1)!;
      await bearer.scrapeAll();
      const reqBearer = target.requests.at(-1)!;
      assert.equal(reqBasic.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
      assert.equal(reqBearer.headers.authorization, 'Bearer tok3n');
      assert.equal(reqBasic.headers.accept, SCRAPE_ACCEPT_HEADER);
      assert.match(reqBasic.headers.accept!, /^application\/openmetrics-text;version=1\.0\.0/);
      assert.equal(reqBasic.headers['accept-encoding'], 'gzip');
      assert.match(reqBasic.headers['user-agent']!, /^telemux\//);
      const url = new URL(reqBasic.url, 'http://x');
      assert.equal(url.pathname, '/federate');
      assert.deepEqual(url.searchParams.getAll('match[]'), ['{job="a"}', 'up']);
      assert.equal(url.searchParams.get('format'), 'x');
      assert.deepEqual(only(db, { __name__: 'gz_metric', job: 'bearer' }), [[1000, bits(7)]]);
    } finally {
      target.reply.gzip = false;
    }
  });

  test('negotiates OpenMetrics: parses by the Content-Type the target answers with', async () => {
    const om = await startTarget();
    om.handler = (req, res) => {
      if (/application\/openmetrics-text/.test(req.headers.accept ?? '')) {
        res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
        res.end(
          '# TYPE requests counter\nrequests_total 5\nrequests_created 1.5\n# TYPE info_thing info\ninfo_thing_info{v="1"} 1\n# EOF\n',
        );
      } else {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('wrong_format 1\n');
      }
    };
    try {
      const m = manager({ configs: [job({ job_name: 'om', targets: [om.address] })], now: steppingClock() });
      const [r] = await m.scrapeAll();
      assert.equal(r.up, true, r.error);
      assert.deepEqual(only(db, { __name__: 'requests_total', job: 'om' }), [[1000, bits(5)]]);
      assert.deepEqual(only(db, { __name__: 'info_thing_info', job: 'om', v: '1' }), [[1000, bits(1)]]);
      assert.equal(read(db, { __name__: 'wrong_format' }).size, 0);
      // Declared as OpenMetrics, the body is held to OpenMetrics' rules: no `# EOF`, no scrape.
      om.handler = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0' });
        res.end('requests_total 6\n'); // no # EOF: invalid OpenMetrics
      };
      const [bad] = await m.scrapeAll();
      assert.equal(bad.up, false);
      assert.deepEqual(only(db, { __name__: 'requests_total', job: 'om' }), [
        [1000, bits(5)],
        [2000, STALE_NAN_BITS],
      ]);
    } finally {
      await om.close();
    }
  });

  test('honor_timestamps: exposed timestamps are kept and those series are not marked stale', async () => {
    const m = manager({
      configs: [job({ job_name: 'ts', targets: [target.address] })],
      now: steppingClock(),
    });
    const off = manager({
      configs: [job({ job_name: 'ts_off', targets: [target.address], honor_timestamps: false })],
      now: steppingClock(),
    });
    target.reply.body = 'with_ts 1 500\nno_ts 2\n';
    await m.scrapeAll();
    await off.scrapeAll();
    target.reply.body = '';
    const [r] = await m.scrapeAll();
    await off.scrapeAll();
    assert.equal(r.staleMarkers, 1);
    assert.deepEqual(only(db, { __name__: 'with_ts', job: 'ts' }), [[500, bits(1)]]);
    assert.deepEqual(only(db, { __name__: 'no_ts', job: 'ts' }), [
      [1000, bits(2)],
      [2000, STALE_NAN_BITS],
    ]);
    assert.deepEqual(only(db, { __name__: 'with_ts', job: 'ts_off' }), [
      [1000, bits(1)],
      [2000, STALE_NAN_BITS],
    ]);
  });

  test('body_size_limit fails a scrape whose body is larger', async () => {
    const m = manager({
      configs: [job({ job_name: 'big', targets: [target.address], body_size_limit: '1KB' })],
      now: steppingClock(),
    });
    target.reply.body = `${Array.from({ length: 200 }, (_, i) => `big_${i} ${i}`).join('\n')}\n`;
    const [r] = await m.scrapeAll();
    assert.equal(r.up, false);
    assert.match(r.error, /body size limit exceeded/);
    target.reply.gzip = true; // the limit applies to the uncompressed body
    try {
      const [g] = await m.scrapeAll();
      assert.equal(g.up, false);
      assert.match(g.error, /body size limit exceeded/);
    } finally {
      target.reply.gzip = false;
    }
    assert.equal(read(db, { __name__: 'big_1' }).size, 0);
  });

  test('relabel_configs rewrite instance and job', async () => {
    const m = manager({
      configs: [
        job({
          job_name: 'relabel',
          targets: [target.address],
          relabel_configs: [
            {
              source_labels: ['__address__'],
              regex: '([^:]+):(?P<port>\\d+)',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a relabel template, not JS
              replacement: 'host-$1:${port}',
              target_label: 'instance',
            },
            {
              source_labels: ['job', '__scheme__'],
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a relabel template, not JS
              replacement: '${1}-x',
              regex: '(.*);(.*)',
              target_label: 'job',
            },
          ],
        }),
      ],
      now: steppingClock(),
    });
    target.reply.body = 'rl 1\n';
    await m.scrapeAll();
    const port = target.address.split(':')[1];
    assert.deepEqual(
      [...read(db, { __name__: 'rl' }).keys()],
      [`rl{instance="host-127.0.0.1:${port}", job="relabel-x"}`],
    );
  });

  test('start() scrapes each target on its interval until stop()', async () => {
    const second = await startTarget({ body: 'loop_metric 1\n' });
    try {
      const m = manager({
        configs: [
          job({ job_name: 'loop', targets: [target.address, second.address], scrape_interval: '200ms' }),
        ],
      });
      target.reply.body = 'loop_metric 1\n';
      m.start();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (read(db, { __name__: 'up', job: 'loop' }).size === 2) {
          const counts = [...read(db, { __name__: 'up', job: 'loop' }).values()].map((r) => r.length);
          if (counts.every((n) => n >= 2)) break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await m.stop();
      const ups = read(db, { __name__: 'up', job: 'loop' });
      assert.equal(ups.size, 2);
      for (const rows of ups.values()) {
        assert.ok(rows.length >= 2, 'scraped repeatedly');
        assert.ok(rows.every(([, v]) => v === bits(1)));
      }
      assert.equal(read(db, { __name__: 'loop_metric', job: 'loop' }).size, 2);
      assert.ok(m.targets().every((t) => t.health === 'up' && t.lastScrapeMs !== undefined));
    } finally {
      await second.close();
    }
  });
});
