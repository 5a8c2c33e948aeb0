// Every range-vector function's kernel by PromQL name (absent_over_time is the engine's own).

import { changes, resets } from './counting.ts';
import { madOverTime, quantileOverTime } from './order-stats.ts';
import {
  avgOverTime,
  countOverTime,
  firstOverTime,
  lastOverTime,
  maxOverTime,
  minOverTime,
  presentOverTime,
  stddevOverTime,
  stdvarOverTime,
  sumOverTime,
  tsOfFirstOverTime,
  tsOfLastOverTime,
  tsOfMaxOverTime,
  tsOfMinOverTime,
} from './over-time.ts';
import { delta, idelta, increase, irate, rate } from './rate.ts';
import { deriv, predictLinear } from './regression.ts';
import { doubleExponentialSmoothing } from './smoothing.ts';
import type { RangeKernel } from './window.ts';

export type { RangeKernel, RangeWindow } from './window.ts';

export const RANGE_KERNELS: ReadonlyMap<string, RangeKernel> = new Map<string, RangeKernel>([
  ['rate', rate],
  ['increase', increase],
  ['delta', delta],
  ['irate', irate],
  ['idelta', idelta],
  ['deriv', deriv],
  ['predict_linear', (w, seconds) => predictLinear(w, seconds)],
  ['resets', resets],
  ['changes', changes],
  ['avg_over_time', avgOverTime],
  ['min_over_time', minOverTime],
  ['max_over_time', maxOverTime],
  ['sum_over_time', sumOverTime],
  ['count_over_time', countOverTime],
  ['last_over_time', lastOverTime],
  ['first_over_time', firstOverTime],
  ['present_over_time', presentOverTime],
  ['stddev_over_time', stddevOverTime],
  ['stdvar_over_time', stdvarOverTime],
  ['quantile_over_time', (w, phi) => quantileOverTime(w, phi)],
  ['mad_over_time', madOverTime],
  ['ts_of_min_over_time', tsOfMinOverTime],
  ['ts_of_max_over_time', tsOfMaxOverTime],
  ['ts_of_last_over_time', tsOfLastOverTime],
  ['ts_of_first_over_time', tsOfFirstOverTime],
  ['double_exponential_smoothing', (w, sf, tf) => doubleExponentialSmoothing(w, sf, tf)],
]);
