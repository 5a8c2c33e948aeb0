// The UDP packets of the Hermes README (seed 002), verbatim, from test/fixtures/hermes-seed-packets/
// (send_seed_packets.py sends the same files).

import { readFileSync } from 'node:fs';

function packet(file: string): string {
  return readFileSync(
    new URL(`../../fixtures/hermes-seed-packets/${file}.json`, import.meta.url),
    'utf8',
  ).trimEnd();
}

export const COUNTER = packet('1-counter');
export const GAUGE_INCREMENT = packet('2-gauge-increment');
export const GAUGE_DECREMENT = packet('3-gauge-decrement');
export const GAUGE_SET = packet('4-gauge-set');
export const HISTOGRAM = packet('5-histogram');
export const SUMMARY = packet('6-summary');

export const SEED_PACKETS = [COUNTER, GAUGE_INCREMENT, GAUGE_DECREMENT, GAUGE_SET, HISTOGRAM, SUMMARY];

export const L1 = { label_1: 'testing label 1' };
export const L12 = { label_1: 'testing label 1', label_2: 'testing label 2' };
