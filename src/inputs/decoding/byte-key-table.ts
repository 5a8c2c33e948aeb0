// A hash table from byte strings to small integers that allocates nothing per lookup: the keys are
// copied into one growing byte arena, their entries and the hash index are typed arrays.
// Decoders look series up by the bytes a sender spelled them with, many thousands of times per
// request, without making a string of each. Bounded: past `maxKeyBytes` of keys it starts over,
// which a cache in front of something that can always answer again (SeriesIds) can afford.
//
// Senders repeat their series in the same order request after request, so the table remembers which
// key was looked up after which, and how many times in a row (an Influx body writes a series' lines
// one after another): within a sequence (see `restart`), the key predicted from last time is tried
// first, by comparing bytes, before hashing.
//
// The arena is a WebAssembly memory, and the bytes looked up are compared there, 16 at a time
// (byte-compare.wat), at about half the cost of the JS loop over DataViews. For that a caller's
// buffer (a request body) is copied in beside the arena, once per sequence: so it must not change
// between `restart` calls while it is being looked up in. Small buffers (keys composed in scratch
// memory, which does change) and huge ones are compared in JS.

import { ensureMemory, type WasmMemory, wasmModule } from '../../wasm/instantiate.ts';
import { WASM_BYTES } from './byte-compare-wasm.ts';

interface ByteCompareExports {
  readonly memory: WasmMemory;
  readonly same: (a: number, b: number, n: number) => number;
}

const newInstance = wasmModule<ByteCompareExports>(WASM_BYTES);

/** The sizes of buffer copied into the memory; the others are compared in JS (see above). */
export const COPIED_BYTES = { min: 4097, max: 16 << 20 } as const;

/** A 32-bit hash of the bytes `view[start, end)` (a word at a time). */
export function hashBytes(view: DataView<ArrayBufferLike>, start: number, end: number): number {
  let h = (end - start) ^ 0x9747b28c;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ view.getInt32(i, true), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Whether `a[at, at + n)` and `b[start, start + n)` hold the same bytes. */
function sameBytes(
  a: DataView<ArrayBufferLike>,
  at: number,
  b: DataView<ArrayBufferLike>,
  start: number,
  n: number,
): boolean {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    if (a.getInt32(at + i, true) !== b.getInt32(start + i, true)) return false;
    if (a.getInt32(at + i + 4, true) !== b.getInt32(start + i + 4, true)) return false;
  }
  if (i + 4 <= n) {
    if (a.getInt32(at + i, true) !== b.getInt32(start + i, true)) return false;
    i += 4;
  }
  for (; i < n; i++) if (a.getUint8(at + i) !== b.getUint8(start + i)) return false;
  return true;
}

const EMPTY = -1;

// The keys are entries numbered in the order they were added, each one's fields side by side in
// one Int32Array, and their bytes one after another in the arena. A sender repeats its series in
// the order it first sent them, so a predicted lookup reads the entry and bytes right after the
// previous one's: memory read in order, which the CPU fetches ahead, where slots spread by hash
// would each cost a cache miss (with tens of thousands of keys they are out of cache).
const STRIDE = 5;
const VALUE = 0;
const START = 1; // the key's bytes in the arena
const LENGTH = 2;
const NEXT = 3; // the entry looked up right after this one last time, or EMPTY
const RUN = 4; // how many times in a row it was looked up last time

// The hash index: open addressing, linear probing; each slot an entry number and its key's hash,
// so a probe that does not match reads no entry.
const INDEX_STRIDE = 2;

export class ByteKeyTable {
  readonly maxKeyBytes: number;
  #entries: Int32Array;
  #size = 0;
  #index: Int32Array;
  #mask: number;
  /** The entry of the previous lookup in this sequence, or EMPTY, and how many times in a row so far. */
  #last = EMPTY;
  #run = 0;
  /** Lookups answered by the prediction, and by hashing (statistics). */
  predicted = 0;
  hashed = 0;
  readonly #wasm = newInstance();
  /** The memory: the arena [0, #arenaBytes), then the copied buffer. */
  #u8: Uint8Array;
  #arenaView: DataView;
  #arenaBytes = 16 * 1024;
  #used = 0;
  /** The large buffer copied after the arena in this sequence, if any. */
  #copied: Uint8Array | undefined;
  /** What the last `expectedAt` matched (an entry, or EMPTY), and where. */
  #matched = EMPTY;
  #matchedBuf: Uint8Array | undefined;
  #matchedStart = 0;
  /** The caller's bytes seen last, as a DataView (a decoder looks up many keys in one buffer). */
  #buf: Uint8Array | undefined;
  #view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(maxKeyBytes = 64 << 20, initialSlots = 1024) {
    this.maxKeyBytes = maxKeyBytes;
    this.#mask = initialSlots - 1;
    this.#index = emptyIndex(initialSlots);
    this.#entries = new Int32Array(Math.max(1, initialSlots >>> 1) * STRIDE);
    ensureMemory(this.#wasm.memory, this.#arenaBytes);
    this.#u8 = new Uint8Array(this.#wasm.memory.buffer);
    this.#arenaView = new DataView(this.#wasm.memory.buffer);
  }

  /** Keys held. */
  get size(): number {
    return this.#size;
  }

  /** Starts a new sequence of lookups (e.g. a request): the first is not predicted. */
  restart(): void {
    if (this.#last !== EMPTY) this.#entries[this.#last * STRIDE + RUN] = this.#run;
    this.#last = EMPTY;
    this.#matched = EMPTY;
    this.#copied = undefined;
  }

  /**
   * The length of the key this sequence expects next (see `find`), when `buf[start, limit)` begins
   * with its bytes; else -1. A `find` of exactly those bytes then answers without comparing again.
   */
  expectedAt(buf: Uint8Array, start: number, limit: number): number {
    this.#matched = EMPTY;
    const guess = this.#expected();
    if (guess === EMPTY) return -1;
    const entries = this.#entries;
    const n = entries[guess * STRIDE + LENGTH];
    if (n > limit - start || !this.#same(entries[guess * STRIDE + START], buf, start, n)) return -1;
    this.#matched = guess;
    this.#matchedBuf = buf;
    this.#matchedStart = start;
    return n;
  }

  /** The value of the key `buf[start, end)`, or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const n = end - start;
    const entries = this.#entries;
    const matched = this.#matched;
    if (matched !== EMPTY) {
      this.#matched = EMPTY;
      if (
        buf === this.#matchedBuf &&
        start === this.#matchedStart &&
        entries[matched * STRIDE + LENGTH] === n
      ) {
        this.predicted++;
        this.#follow(matched);
        return entries[matched * STRIDE + VALUE];
      }
    }
    const guess = this.#expected();
    if (guess !== EMPTY) {
      const at = guess * STRIDE;
      if (entries[at + LENGTH] === n && this.#same(entries[at + START], buf, start, n)) {
        this.predicted++;
        this.#follow(guess);
        return entries[at + VALUE];
      }
    }
    this.hashed++;
    const h = hashBytes(this.#viewOf(buf), start, end);
    const index = this.#index;
    const mask = this.#mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = index[slot * INDEX_STRIDE];
      // Unknown: the previous entry stays, so that an add() of this key follows it.
      if (entry === EMPTY) return -1;
      if (index[slot * INDEX_STRIDE + 1] !== h) continue;
      const at = entry * STRIDE;
      if (entries[at + LENGTH] === n && this.#same(entries[at + START], buf, start, n)) {
        this.#follow(entry);
        return entries[at + VALUE];
      }
    }
  }

  /**
   * The entry this sequence expects next, or EMPTY: the previous one again while its run of last
   * time lasts, then the one that followed it.
   */
  #expected(): number {
    const last = this.#last;
    if (last === EMPTY) return EMPTY;
    return this.#run < this.#entries[last * STRIDE + RUN] ? last : this.#entries[last * STRIDE + NEXT];
  }

  /** Records that `entry` was looked up after the previous one, and makes it the previous one. */
  #follow(entry: number): void {
    const last = this.#last;
    if (entry === last) {
      this.#run++;
      return;
    }
    if (last !== EMPTY) {
      this.#entries[last * STRIDE + NEXT] = entry;
      this.#entries[last * STRIDE + RUN] = this.#run;
    }
    this.#last = entry;
    this.#run = 1;
  }

  /** Adds the key `buf[start, end)` (not present) with `value` (≥ 0); returns its entry. */
  set(buf: Uint8Array, start: number, end: number, value: number): number {
    const n = end - start;
    if (this.#used + n > this.maxKeyBytes) this.clear();
    if (2 * (this.#size + 1) > this.#mask + 1) this.#rehash(2 * (this.#mask + 1));
    if (this.#used + n > this.#arenaBytes) {
      // The arena grows over where copies go: they are made again.
      this.#arenaBytes = Math.max(this.#used + n, this.#arenaBytes * 2);
      this.#copied = undefined;
      this.#ensure(this.#arenaBytes);
    }
    this.#u8.set(buf.subarray(start, end), this.#used);
    const h = hashBytes(this.#viewOf(buf), start, end);
    const entry = this.#size++;
    if ((entry + 1) * STRIDE > this.#entries.length) {
      const entries = new Int32Array(this.#entries.length * 2);
      entries.set(this.#entries);
      this.#entries = entries;
    }
    const at = entry * STRIDE;
    const entries = this.#entries;
    entries[at + VALUE] = value;
    entries[at + START] = this.#used;
    entries[at + LENGTH] = n;
    entries[at + NEXT] = EMPTY;
    entries[at + RUN] = 0;
    this.#used += n;
    this.#insert(entry, h);
    return entry;
  }

  /** Adds the key `buf[start, end)` (not present) with `value` (≥ 0), as the next in the sequence. */
  add(buf: Uint8Array, start: number, end: number, value: number): void {
    this.#follow(this.set(buf, start, end, value));
  }

  clear(): void {
    this.#index = emptyIndex(this.#mask + 1);
    this.#last = EMPTY;
    this.#matched = EMPTY;
    this.#used = 0;
    this.#size = 0;
    this.#copied = undefined;
  }

  /** Whether the arena's `n` bytes at `at` are those of `buf[start, start + n)`. */
  #same(at: number, buf: Uint8Array, start: number, n: number): boolean {
    const base = this.#arenaBytes;
    if (buf !== this.#copied) {
      if (buf.length < COPIED_BYTES.min || buf.length > COPIED_BYTES.max)
        return sameBytes(this.#arenaView, at, this.#viewOf(buf), start, n);
      this.#ensure(base + buf.length);
      this.#u8.set(buf, base);
      this.#copied = buf;
    }
    return this.#wasm.same(at, base + start, n) === 1;
  }

  /** Grows the memory to `bytes` at least (making the views again). */
  #ensure(bytes: number): void {
    const memory = this.#wasm.memory;
    if (bytes <= memory.buffer.byteLength) return;
    ensureMemory(memory, bytes);
    this.#u8 = new Uint8Array(memory.buffer);
    this.#arenaView = new DataView(memory.buffer);
  }

  #viewOf(buf: Uint8Array): DataView<ArrayBufferLike> {
    if (buf !== this.#buf) {
      this.#buf = buf;
      this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.#view;
  }

  #insert(entry: number, h: number): void {
    const index = this.#index;
    let slot = h & this.#mask;
    while (index[slot * INDEX_STRIDE] !== EMPTY) slot = (slot + 1) & this.#mask;
    index[slot * INDEX_STRIDE] = entry;
    index[slot * INDEX_STRIDE + 1] = h;
  }

  /** A larger index over the same entries (they, and the sequence, stay where they are). */
  #rehash(count: number): void {
    const old = this.#index;
    this.#index = emptyIndex(count);
    this.#mask = count - 1;
    for (let at = 0; at < old.length; at += INDEX_STRIDE)
      if (old[at] !== EMPTY) this.#insert(old[at], old[at + 1]);
  }
}

/** An index of `count` slots, every one EMPTY. */
function emptyIndex(count: number): Int32Array {
  return new Int32Array(count * INDEX_STRIDE).fill(EMPTY);
}
