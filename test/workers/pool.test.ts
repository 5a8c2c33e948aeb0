// The worker pool with real worker threads: tasks run in workers started on demand, a handler's
// throw fails only its task, a worker that dies fails its tasks in flight with WorkerCrashedError
// and is replaced by the next task, closing fails what is in flight and leaves nothing running (the
// test process exits).

import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { after, test } from 'node:test';
import { PoolClosedError, TaskFailedError, WorkerCrashedError, WorkerPool } from '../../src/workers/pool.ts';
import type { ProbeInput } from './fixtures/probe-task.ts';

const PROBE = new URL('./fixtures/probe-task.ts', import.meta.url).href;
const BROKEN = new URL('./fixtures/broken-task.ts', import.meta.url).href;

interface Probe {
  calls: number;
  threadId: number;
  nice: number;
  bytes: number;
}

const pools: WorkerPool[] = [];
function makePool(size: number, nice?: number): WorkerPool {
  const pool = new WorkerPool({ size, nice });
  pool.register('probe', PROBE);
  pools.push(pool);
  return pool;
}
after(async () => {
  for (const p of pools) await p.close();
});

const run = (pool: WorkerPool, input: ProbeInput) => pool.run<Probe>('probe', input);

test('workers start on demand, up to the size, and keep their state across tasks', async () => {
  const pool = makePool(2);
  assert.equal(pool.running, 0);
  const first = await run(pool, { action: 'echo', payload: new Uint8Array(10) });
  assert.equal(pool.running, 1);
  assert.equal(first.value.bytes, 10);
  assert.notEqual(first.value.threadId, 0, 'ran in a worker thread');
  // Sequential tasks go to the idle worker: its handler counts them.
  const second = await run(pool, { action: 'echo' });
  assert.equal(second.worker, first.worker);
  assert.equal(second.value.calls, 2);
  // Concurrent tasks: a second worker starts, never a third.
  const results = await Promise.all(Array.from({ length: 6 }, () => run(pool, { action: 'sleep', ms: 30 })));
  assert.equal(pool.running, 2);
  assert.equal(new Set(results.map((r) => r.worker)).size, 2);
});

test('a transferred buffer moves to the worker', async () => {
  const pool = makePool(1);
  const payload = new Uint8Array(1024);
  const r = await pool.run<Probe>('probe', { action: 'echo', payload }, [payload.buffer]);
  assert.equal(r.value.bytes, 1024);
  assert.equal(payload.byteLength, 0, 'detached here');
});

test('a handler that throws fails its task only; the worker goes on', async () => {
  const pool = makePool(1);
  const ok = await run(pool, { action: 'echo' });
  await assert.rejects(run(pool, { action: 'throw' }), (err) => {
    assert.ok(err instanceof TaskFailedError);
    assert.match(err.message, /probe: asked to throw/);
    return true;
  });
  const again = await run(pool, { action: 'echo' });
  assert.equal(again.worker, ok.worker);
  assert.equal(again.value.calls, 3);
});

for (const action of ['exit', 'uncaught'] as const) {
  test(`a worker that dies (${action}) fails its tasks in flight and is replaced`, async () => {
    const pool = makePool(1);
    const gone: number[] = [];
    pool.onWorkerGone((w) => gone.push(w));
    const before = await run(pool, { action: 'echo' });
    // A task queued behind the fatal one, on the same worker, fails the same way.
    const fatal = run(pool, { action });
    const queued = run(pool, { action: 'echo' });
    await assert.rejects(fatal, WorkerCrashedError);
    await assert.rejects(queued, WorkerCrashedError);
    assert.deepEqual(gone, [before.worker]);
    assert.equal(pool.running, 0);
    const after = await run(pool, { action: 'echo' });
    assert.notEqual(after.worker, before.worker);
    assert.equal(after.value.calls, 1, 'a fresh handler');
  });
}

test('a task module that cannot load fails tasks instead of hanging', async () => {
  const pool = new WorkerPool({ size: 1 });
  pools.push(pool);
  pool.register('broken', BROKEN);
  await assert.rejects(pool.run('broken', {}), WorkerCrashedError);
  await assert.rejects(pool.run('broken', {}), WorkerCrashedError);
});

test('close fails the tasks in flight and stops every worker', async () => {
  const pool = makePool(2);
  const gone: number[] = [];
  pool.onWorkerGone((w) => gone.push(w));
  const slow = [run(pool, { action: 'sleep', ms: 200 }), run(pool, { action: 'sleep', ms: 200 })];
  const outcomes = slow.map((p) =>
    p.then(
      () => 'answered',
      (err: unknown) => err,
    ),
  );
  await new Promise((r) => setTimeout(r, 20));
  await pool.close();
  for (const o of await Promise.all(outcomes)) assert.ok(o instanceof PoolClosedError, String(o));
  assert.equal(pool.running, 0);
  assert.equal(gone.length, 2);
  await assert.rejects(run(pool, { action: 'echo' }), PoolClosedError);
});

test('a kind registered while workers run is loaded by them before the tasks sent after it', async () => {
  const pool = makePool(2);
  assert.throws(() => pool.register('probe', PROBE), /registered already/);
  // Two running workers (two tasks at once start both).
  const first = await Promise.all([
    run(pool, { action: 'sleep', ms: 30 }),
    run(pool, { action: 'sleep', ms: 30 }),
  ]);
  assert.equal(pool.running, 2);
  pool.register('late', PROBE);
  // The task goes out right after the load message: the worker must not answer it unloaded.
  const late = await Promise.all([
    pool.run<Probe>('late', { action: 'echo' }),
    pool.run<Probe>('late', { action: 'echo' }),
  ]);
  assert.deepEqual(
    late.map((r) => r.worker).sort(),
    first.map((r) => r.worker).sort(),
    'on the workers already running',
  );
  for (const r of late) assert.equal(r.value.calls, 1, 'a handler of its own per kind');
  assert.throws(() => pool.register('late', PROBE), /registered already/);
});

test('a niced pool lowers its worker threads’ priority, not the rest of the process’s', async () => {
  const own = getPriority(process.pid);
  const niced = makePool(2, 12);
  const [a, b] = await Promise.all([
    run(niced, { action: 'sleep', ms: 30 }),
    run(niced, { action: 'sleep', ms: 30 }),
  ]);
  assert.notEqual(a.value.threadId, b.value.threadId);
  assert.deepEqual([a.value.nice, b.value.nice], [12, 12]);
  assert.equal(getPriority(process.pid), own, 'the main thread is as it was');
  const plain = await run(makePool(1), { action: 'echo' });
  assert.equal(plain.value.nice, own);
});
