import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { MetricFamily } from '../../src/format/exposition/family.ts';
import {
  isOpenMetricsContentType,
  negotiateEncoding,
  negotiateFormat,
} from '../../src/format/exposition/negotiate.ts';
import { renderExposition, renderExpositionAsync } from '../../src/format/exposition/render.ts';
import { Labels } from '../../src/model/labels.ts';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
const PROMETHEUS_PROTOBUF_FIRST = `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,${PROMETHEUS_ACCEPT.replace('q=0.5', 'q=0.45')}`;

const TEXT_004 = 'text/plain; version=0.0.4; charset=utf-8';

test("Prometheus' default scrape Accept header gets OpenMetrics 1.0.0 with allow-utf-8", () => {
  const f = negotiateFormat(PROMETHEUS_ACCEPT);
  assert.equal(f.protocol, 'openmetrics-1.0.0');
  assert.equal(f.escaping, 'allow-utf-8');
  assert.equal(
    f.contentType,
    'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8',
  );
  // Protobuf is not offered, so the protobuf-first header falls through to OpenMetrics too.
  assert.equal(negotiateFormat(PROMETHEUS_PROTOBUF_FIRST).protocol, 'openmetrics-1.0.0');
});

test('no Accept, */*, text/plain and unsupported types get text 0.0.4', () => {
  for (const accept of [
    undefined,
    '',
    '*/*',
    'text/plain',
    'text/*',
    'text/plain;version=0.0.4',
    'application/json',
    'text/plain;version=9.9.9',
  ]) {
    const f = negotiateFormat(accept);
    assert.equal(f.protocol, 'text-0.0.4', String(accept));
    assert.equal(f.contentType, TEXT_004);
    assert.equal(f.escaping, 'underscores');
  }
});

test('versions, escaping and q-values', () => {
  assert.equal(negotiateFormat('application/openmetrics-text').protocol, 'openmetrics-1.0.0');
  assert.equal(negotiateFormat('application/openmetrics-text').escaping, 'underscores');
  assert.equal(
    negotiateFormat('application/openmetrics-text').contentType,
    'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores',
  );
  const old = negotiateFormat('application/openmetrics-text; version=0.0.1');
  assert.equal(old.protocol, 'openmetrics-0.0.1');
  assert.equal(old.contentType, 'application/openmetrics-text; version=0.0.1; charset=utf-8');
  const t1 = negotiateFormat('text/plain;version=1.0.0;escaping=allow-utf-8');
  assert.equal(t1.protocol, 'text-1.0.0');
  assert.equal(t1.contentType, 'text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8');
  assert.equal(negotiateFormat('text/plain;version=1.0.0;escaping=dots').escaping, 'dots');
  assert.equal(negotiateFormat('text/plain;version=1.0.0;escaping=bogus').escaping, 'underscores');
  // Text 0.0.4 cannot quote names: allow-utf-8 falls back to underscores there.
  assert.equal(negotiateFormat('text/plain;version=0.0.4;escaping=allow-utf-8').escaping, 'underscores');
  // q=0 means "not acceptable"; the highest q wins, whatever the order.
  assert.equal(negotiateFormat('application/openmetrics-text;q=0, text/plain').protocol, 'text-0.0.4');
  assert.equal(
    negotiateFormat('text/plain;q=0.2, application/openmetrics-text;q=0.9').protocol,
    'openmetrics-1.0.0',
  );
  assert.equal(negotiateFormat('application/openmetrics-text;q=0').protocol, 'text-0.0.4');
  assert.equal(
    negotiateFormat('Application/OpenMetrics-Text; Version=1.0.0; Q=1').protocol,
    'openmetrics-1.0.0',
  );
  assert.equal(
    negotiateFormat(['text/plain;q=0.1', 'application/openmetrics-text;q=0.5']).protocol,
    'openmetrics-1.0.0',
  );
});

test('Accept-Encoding: gzip when acceptable, identity otherwise', () => {
  assert.equal(negotiateEncoding(undefined), 'identity');
  assert.equal(negotiateEncoding(''), 'identity');
  assert.equal(negotiateEncoding('gzip'), 'gzip');
  assert.equal(negotiateEncoding('deflate, gzip;q=1.0, *;q=0.5'), 'gzip');
  assert.equal(negotiateEncoding('GZIP'), 'gzip');
  assert.equal(negotiateEncoding('x-gzip'), 'gzip');
  assert.equal(negotiateEncoding('*'), 'gzip');
  assert.equal(negotiateEncoding('gzip;q=0'), 'identity');
  assert.equal(negotiateEncoding('*;q=0, identity'), 'identity');
  assert.equal(negotiateEncoding('gzip;q=0.5, identity;q=1'), 'identity');
  assert.equal(negotiateEncoding('br, deflate'), 'identity');
});

test('Content-Type of a pushed body picks the parser syntax', () => {
  assert.equal(isOpenMetricsContentType('application/openmetrics-text; version=1.0.0; charset=utf-8'), true);
  assert.equal(isOpenMetricsContentType('text/plain; version=0.0.4'), false);
  assert.equal(isOpenMetricsContentType(undefined), false);
});

const families: MetricFamily[] = [
  {
    name: 'up',
    type: 'gauge',
    help: 'Up.',
    unit: '',
    metrics: [{ labels: Labels.from({ 'a.b': 'c' }), value: 1 }],
  },
];

test('renderExposition: negotiated body, Content-Type and gzip in one call', async () => {
  const plain = renderExposition(families, undefined, undefined);
  assert.equal(plain.contentType, TEXT_004);
  assert.equal(plain.contentEncoding, undefined);
  assert.equal(plain.body.toString(), '# HELP up Up.\n# TYPE up gauge\nup{a_b="c"} 1\n');

  const om = renderExposition(families, PROMETHEUS_ACCEPT, 'gzip');
  assert.equal(om.contentEncoding, 'gzip');
  assert.equal(om.format.protocol, 'openmetrics-1.0.0');
  assert.equal(gunzipSync(om.body).toString(), '# TYPE up gauge\n# HELP up Up.\nup{"a.b"="c"} 1\n# EOF\n');

  const viaAsync = await renderExpositionAsync(families, 'text/plain', 'gzip, deflate');
  assert.equal(viaAsync.contentEncoding, 'gzip');
  assert.equal(gunzipSync(viaAsync.body).toString(), plain.body.toString());
});
