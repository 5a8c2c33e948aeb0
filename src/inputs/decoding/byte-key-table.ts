// A hash table from byte strings to small integers that allocates nothing per lookup: the keys are
// copied into one growing byte arena, the slots are typed arrays (open addressing, linear probing).
// Decoders look series up by the bytes a sender spelled them with, many thousands of times per
// request, without making a string of each. Bounded: past `maxKeyBytes` of keys it starts over,
// which a cache in front of something that can always answer again (SeriesIds) can afford.
//
// Senders repeat their series in the same order request after request, so the table remembers which
// key was looked up after which, and how many times in a row (an Influx body writes a series' lines
// one after another): within a sequence (see `restart`), the key predicted from last time is tried
// first, by comparing bytes, before hashing.

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

// A slot's fields, side by side in one Int32Array (8 words, two slots to a cache line): a lookup
// reads one place in memory, not one per field — with tens of thousands of keys the slots are
// mostly out of cache.
const STRIDE = 8;
const VALUE = 0; // the value, or EMPTY
const HASH = 1;
const START = 2; // the key's bytes in the arena
const LENGTH = 3;
const NEXT = 4; // the other slot looked up right after this one last time, or EMPTY
const RUN = 5; // how many times in a row it was looked up last time

export class ByteKeyTable {
  readonly maxKeyBytes: number;
  #mask: number;
  #slots: Int32Array;
  /** The slot of the previous lookup in this sequence, or EMPTY, and how many times in a row so far. */
  #last = EMPTY;
  #run = 0;
  /** Lookups answered by the prediction, and by hashing (statistics). */
  predicted = 0;
  hashed = 0;
  #arena: Uint8Array;
  #arenaView: DataView;
  #used = 0;
  /** The caller's bytes seen last, as a DataView (a decoder looks up many keys in one buffer). */
  #buf: Uint8Array | undefined;
  #view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  #size = 0;

  constructor(maxKeyBytes = 64 << 20, initialSlots = 1024) {
    this.maxKeyBytes = maxKeyBytes;
    this.#mask = initialSlots - 1;
    this.#slots = emptySlots(initialSlots);
    this.#arena = new Uint8Array(16 * 1024);
    this.#arenaView = new DataView(this.#arena.buffer);
  }

  /** Keys held. */
  get size(): number {
    return this.#size;
  }

  /** Starts a new sequence of lookups (e.g. a request): the first is not predicted. */
  restart(): void {
    if (this.#last !== EMPTY) this.#slots[this.#last * STRIDE + RUN] = this.#run;
    this.#last = EMPTY;
  }

  /** The value of the key `buf[start, end)`, or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const view = this.#viewOf(buf);
    const n = end - start;
    const slots = this.#slots;
    const last = this.#last;
    if (last !== EMPTY) {
      const guess = this.#run < slots[last * STRIDE + RUN] ? last : slots[last * STRIDE + NEXT];
      const at = guess * STRIDE;
      if (
        guess !== EMPTY &&
        slots[at + LENGTH] === n &&
        sameBytes(this.#arenaView, slots[at + START], view, start, n)
      ) {
        this.predicted++;
        this.#follow(guess);
        return slots[at + VALUE];
      }
    }
    this.hashed++;
    const h = hashBytes(view, start, end);
    const mask = this.#mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = slot * STRIDE;
      const v = slots[at + VALUE];
      // Unknown: the previous slot stays, so that an add() of this key follows it.
      if (v === EMPTY) return -1;
      if (
        slots[at + HASH] === h &&
        slots[at + LENGTH] === n &&
        sameBytes(this.#arenaView, slots[at + START], view, start, n)
      ) {
        this.#follow(slot);
        return v;
      }
    }
  }

  /** Records that `slot` was looked up after the previous one, and makes it the previous one. */
  #follow(slot: number): void {
    const last = this.#last;
    if (slot === last) {
      this.#run++;
      return;
    }
    if (last !== EMPTY) {
      this.#slots[last * STRIDE + NEXT] = slot;
      this.#slots[last * STRIDE + RUN] = this.#run;
    }
    this.#last = slot;
    this.#run = 1;
  }

  /** Adds the key `buf[start, end)` (not present) with `value` (≥ 0); returns its slot. */
  set(buf: Uint8Array, start: number, end: number, value: number): number {
    const n = end - start;
    if (this.#used + n > this.maxKeyBytes) this.clear();
    if (2 * (this.#size + 1) > this.#mask + 1) this.#rehash(2 * (this.#mask + 1));
    if (this.#used + n > this.#arena.length) {
      const arena = new Uint8Array(Math.max(this.#used + n, this.#arena.length * 2));
      arena.set(this.#arena.subarray(0, this.#used));
      this.#arena = arena;
      this.#arenaView = new DataView(arena.buffer);
    }
    this.#arena.set(buf.subarray(start, end), this.#used);
    const h = hashBytes(this.#viewOf(buf), start, end);
    const slots = this.#slots;
    let slot = h & this.#mask;
    while (slots[slot * STRIDE + VALUE] !== EMPTY) slot = (slot + 1) & this.#mask;
    const at = slot * STRIDE;
    slots[at + VALUE] = value;
    slots[at + HASH] = h;
    slots[at + START] = this.#used;
    slots[at + LENGTH] = n;
    slots[at + NEXT] = EMPTY;
    slots[at + RUN] = 0;
    this.#used += n;
    this.#size++;
    return slot;
  }

  /** Adds the key `buf[start, end)` (not present) with `value` (≥ 0), as the next in the sequence. */
  add(buf: Uint8Array, start: number, end: number, value: number): void {
    this.#follow(this.set(buf, start, end, value));
  }

  clear(): void {
    this.#slots = emptySlots(this.#mask + 1);
    this.#last = EMPTY;
    this.#used = 0;
    this.#size = 0;
  }

  #viewOf(buf: Uint8Array): DataView<ArrayBufferLike> {
    if (buf !== this.#buf) {
      this.#buf = buf;
      this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.#view;
  }

  #rehash(count: number): void {
    const old = this.#slots;
    const slots = emptySlots(count);
    this.#mask = count - 1;
    // Slots move: forget the sequence.
    this.#last = EMPTY;
    for (let from = 0; from < old.length; from += STRIDE) {
      if (old[from + VALUE] === EMPTY) continue;
      let slot = old[from + HASH] & this.#mask;
      while (slots[slot * STRIDE + VALUE] !== EMPTY) slot = (slot + 1) & this.#mask;
      const at = slot * STRIDE;
      slots[at + VALUE] = old[from + VALUE];
      slots[at + HASH] = old[from + HASH];
      slots[at + START] = old[from + START];
      slots[at + LENGTH] = old[from + LENGTH];
    }
    this.#slots = slots;
  }
}

/** `count` slots, every one EMPTY and with no successor. */
function emptySlots(count: number): Int32Array {
  const slots = new Int32Array(count * STRIDE);
  for (let at = 0; at < slots.length; at += STRIDE) {
    slots[at + VALUE] = EMPTY;
    slots[at + NEXT] = EMPTY;
  }
  return slots;
}
