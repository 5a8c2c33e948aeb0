import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileRelabelRegex,
  parseScrapeConfig,
  scrapeConfigsSchema,
} from '../../../src/inputs/scrape/config.ts';
import { attachTargetLabels, expandTemplate, targetsOf } from '../../../src/inputs/scrape/target.ts';
import { Labels } from '../../../src/model/labels.ts';

function errors(input: unknown): string {
  const r = scrapeConfigsSchema.safeParse(input);
  assert.equal(r.success, false, 'expected a config error');
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
}

test('defaults follow Prometheus', () => {
  const [c] = scrapeConfigsSchema.parse([{ job_name: 'a', static_configs: [{ targets: ['h:1'] }] }]);
  assert.equal(c.scrape_interval, 15_000);
  assert.equal(c.scrape_timeout, 10_000);
  assert.equal(c.metrics_path, '/metrics');
  assert.equal(c.scheme, 'http');
  assert.equal(c.honor_labels, false);
  assert.equal(c.honor_timestamps, true);
  assert.equal(c.body_size_limit, 0);
  assert.deepEqual(c.params, {});
  assert.deepEqual(c.relabel_configs, []);
  assert.deepEqual(scrapeConfigsSchema.parse(undefined), []);
  // A short interval without an explicit timeout gets the interval as its timeout.
  assert.equal(parseScrapeConfig({ job_name: 'b', scrape_interval: '2s' }).scrape_timeout, 2000);
  assert.deepEqual(parseScrapeConfig({ job_name: 'c', params: { module: 'x' } }).params, { module: ['x'] });
  const r = parseScrapeConfig({
    job_name: 'd',
    relabel_configs: [{ target_label: 'instance', replacement: 'i' }],
  });
  assert.deepEqual(r.relabel_configs[0], {
    action: 'replace',
    source_labels: [],
    separator: ';',
    regex: '(.*)',
    replacement: 'i',
    target_label: 'instance',
  });
});

test('invalid configs are refused with a message naming the problem', () => {
  assert.match(
    errors([{ job_name: 'a', scrape_interval: '5s', scrape_timeout: '10s' }]),
    /scrape_timeout.*must not be greater/,
  );
  assert.match(errors([{ job_name: 'a' }, { job_name: 'a' }]), /duplicate job_name "a"/);
  assert.match(errors([{ job_name: 'a', scrape_interval: 'soon' }]), /not a valid duration/);
  assert.match(errors([{ job_name: 'a', scrape_interval: '0s' }]), /greater than 0/);
  assert.match(
    errors([{ job_name: 'a', static_configs: [{ targets: ['http://h:1/metrics'] }] }]),
    /host:port/,
  );
  assert.match(
    errors([{ job_name: 'a', static_configs: [{ targets: ['h:1'], labels: { __x: 'y' } }] }]),
    /reserved/,
  );
  assert.match(errors([{ job_name: 'a', relabel_configs: [{ target_label: 'env' }] }]), /target_label/);
  assert.match(
    errors([{ job_name: 'a', relabel_configs: [{ action: 'drop', target_label: 'job' }] }]),
    /action/,
  );
  assert.match(
    errors([{ job_name: 'a', relabel_configs: [{ target_label: 'job', regex: '(' }] }]),
    /invalid regex/,
  );
  assert.match(
    errors([{ job_name: 'a', basic_auth: { username: 'u' }, bearer_token: 't' }]),
    /at most one of basic_auth and bearer_token/,
  );
  assert.match(errors([{ job_name: 'a', kubernetes_sd_configs: [] }]), /kubernetes_sd_configs/);
  assert.match(errors([{ job_name: 'a', scheme: 'ftp' }]), /scheme/);
});

test('targets: discovered labels, relabelling, instance default, duplicates removed', () => {
  const c = parseScrapeConfig({
    job_name: 'j',
    static_configs: [
      { targets: ['a:1', 'a:1', 'b:2'], labels: { env: 'p' } },
      { targets: ['c:3'], labels: { job: 'custom', instance: 'fixed' } },
    ],
    relabel_configs: [
      { source_labels: ['__address__'], regex: 'b:(.*)', replacement: 'bee-$1', target_label: 'instance' },
    ],
  });
  const t = targetsOf(c);
  assert.deepEqual(
    t.map((x) => x.labels.toRecord()),
    [
      { env: 'p', instance: 'a:1', job: 'j' },
      { env: 'p', instance: 'bee-2', job: 'j' },
      { instance: 'fixed', job: 'custom' },
    ],
  );
  assert.equal(t[2].discoveredLabels.get('job'), 'custom', 'a static job label wins over job_name');
});

test('relabel replacement templates expand like Go', () => {
  const m = compileRelabelRegex('(?P<host>[^:]+):(\\d+)').exec('box:9100')!;
  assert.equal(expandTemplate('$1', m), 'box');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a relabel template, not JS
  assert.equal(expandTemplate('${1}x', m), 'boxx');
  assert.equal(expandTemplate('$1x', m), '', 'Go reads $1x as the group named "1x"');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a relabel template, not JS
  assert.equal(expandTemplate('${host}-$2', m), 'box-9100');
  assert.equal(expandTemplate('$$1', m), '$1');
  assert.equal(expandTemplate('a$', m), 'a$');
  assert.equal(compileRelabelRegex('b').exec('abc'), null, 'anchored');
});

test('attachTargetLabels: honor_labels both ways', () => {
  const target = Labels.from({ job: 'j', instance: 'i' });
  const exposed = Labels.from({ __name__: 'm', job: 'x', exported_job: 'y' });
  assert.deepEqual(attachTargetLabels(exposed, target, false).toRecord(), {
    __name__: 'm',
    exported_exported_job: 'x',
    exported_job: 'y',
    instance: 'i',
    job: 'j',
  });
  assert.deepEqual(attachTargetLabels(exposed, target, true).toRecord(), {
    __name__: 'm',
    exported_job: 'y',
    instance: 'i',
    job: 'x',
  });
});
