// The numeric kernels of PromQL's range-vector functions; see range/ for each family.

export { RANGE_KERNELS, type RangeKernel, type RangeWindow } from './range/index.ts';
