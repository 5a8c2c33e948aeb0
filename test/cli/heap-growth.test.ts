import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeFlagGiven, tuneHeapGrowth } from '../../src/cli/heap-growth.ts';

test('a V8 flag given on node’s command line or in NODE_OPTIONS, in either spelling', () => {
  const flag = 'heap-growing-percent';
  assert.equal(nodeFlagGiven(flag, ['--heap-growing-percent=50']), true);
  assert.equal(nodeFlagGiven(flag, ['--import', 'tsx', '--heap_growing_percent=50']), true);
  assert.equal(nodeFlagGiven(flag, [], '--max-old-space-size=100  --heap-growing-percent=20'), true);
  assert.equal(nodeFlagGiven(flag, ['--heap-growing-percent-x=1'], '--no-heap-growing-percent'), false);
  assert.equal(nodeFlagGiven(flag, [], undefined), false);
  assert.equal(nodeFlagGiven(flag, []), false);
});

test('the heap growth is set unless the operator set it', () => {
  assert.equal(tuneHeapGrowth(['--heap-growing-percent=30'], ''), false);
  assert.equal(tuneHeapGrowth([], '--heap_growing_percent=30'), false);
  assert.equal(tuneHeapGrowth([], ''), true);
});
