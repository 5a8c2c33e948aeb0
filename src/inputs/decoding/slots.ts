// Reused memory for the bodies going to the workers and the columns coming back. A buffer moved
// between threads is allocated by one and freed by the other; under load those cross-thread frees
// contend for the allocator's locks, and every new buffer adds to the garbage collector's work. So
// bodies are copied into reusable SharedArrayBuffer slots, and workers write their answers into the
// same slot (a typed array over shared memory crosses postMessage as a view, not a copy); the
// receiver releases the slot once it has appended. Handlers running in the main thread write their
// answers to reused plain ArrayBuffer slots the same way.

/** Smallest slot: a typical remote_write or Influx body and its answer fit. */
const MIN_SLOT_BYTES = 256 * 1024;
/** Free slots kept per size. */
const KEEP_PER_SIZE = 8;

/** Main side: slots by size (powers of two), reused. */
export class SlotPool<B extends ArrayBufferLike> {
  readonly #free = new Map<number, B[]>();
  readonly #allocate: (bytes: number) => B;

  constructor(allocate: (bytes: number) => B) {
    this.#allocate = allocate;
  }

  /** A slot of at least `bytes`. */
  acquire(bytes: number): B {
    const size = slotSize(bytes);
    return this.#free.get(size)?.pop() ?? this.#allocate(size);
  }

  /** Gives a slot back; nothing may use views of it afterwards. */
  release(slot: B): void {
    let list = this.#free.get(slot.byteLength);
    if (list === undefined) {
      list = [];
      this.#free.set(slot.byteLength, list);
    }
    if (list.length < KEEP_PER_SIZE) list.push(slot);
  }
}

function slotSize(bytes: number): number {
  let size = MIN_SLOT_BYTES;
  while (size < bytes) size *= 2;
  return size;
}

/**
 * Handler side: the typed arrays of one answer, carved out of the task's slot — or out of new memory
 * of the same kind when the slot is too small, or out of plain memory when there is no slot.
 * Call the methods in the order the space was sized for; 8-byte columns first keeps them aligned.
 */
export class AnswerSpace {
  readonly buffer: ArrayBufferLike;
  #at = 0;

  /** `bytes`: the total of the columns to come, each rounded up to 8 bytes. */
  constructor(slot: ArrayBufferLike | undefined, bytes: number) {
    if (slot === undefined) this.buffer = new ArrayBuffer(bytes);
    else if (slot.byteLength >= bytes) this.buffer = slot;
    else if (slot instanceof SharedArrayBuffer) this.buffer = new SharedArrayBuffer(slotSize(bytes));
    else this.buffer = new ArrayBuffer(slotSize(bytes));
  }

  /** Bytes a column of `n` elements of `width` bytes takes. */
  static columnBytes(n: number, width: number): number {
    return Math.ceil((n * width) / 8) * 8;
  }

  float64(n: number): Float64Array {
    const a = new Float64Array(this.buffer, this.#at, n);
    this.#at += AnswerSpace.columnBytes(n, 8);
    return a;
  }

  int32(n: number): Int32Array {
    const a = new Int32Array(this.buffer, this.#at, n);
    this.#at += AnswerSpace.columnBytes(n, 4);
    return a;
  }

  uint32(n: number): Uint32Array {
    const a = new Uint32Array(this.buffer, this.#at, n);
    this.#at += AnswerSpace.columnBytes(n, 4);
    return a;
  }
}
