// Block ids: 10 characters of millisecond time then 16 of randomness, in Crockford base32 (ULID's
// shape), so ids sort by creation time as plain strings. Monotonic within a process: ids made in the
// same millisecond (or after a clock step back) increment the random part instead.

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom = 0n;

function base32(x: bigint, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    out = ALPHABET[Number(x & 31n)] + out;
    x >>= 5n;
  }
  return out;
}

export function newBlockId(now = Date.now()): string {
  let time = now;
  let random: bigint;
  if (time <= lastTime) {
    time = lastTime;
    random = (lastRandom + 1n) & ((1n << 80n) - 1n);
  } else {
    random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  lastTime = time;
  lastRandom = random;
  return base32(BigInt(time), 10) + base32(random, 16);
}

export function isBlockId(name: string): boolean {
  return ID_PATTERN.test(name);
}
