// On-disk layout of a persistent block (own design, in the spirit of Prometheus' block format).
//
// A block is a directory named by its id (26 chars, time-sortable, see ids.ts):
//
//   <id>/meta.json     BlockMeta as JSON (id, minT, maxT — both inclusive —, stats, level, sources, …)
//   <id>/chunks/000001 chunk segments, each at most SEGMENT_MAX_BYTES (a chunk never spans two)
//   <id>/index         series, labels and postings (below)
//   <id>/tombstones    deleted ranges per series (optional; see tombstones.ts)
//
// It is written as `<id>.tmp`, every file fsynced, then renamed: a `.tmp` directory is never a block.
//
// Integers are big-endian u32 or unsigned LEB128 varints (uv) up to 2^53. crc = CRC32 (zlib.crc32).
//
// Chunk segment:  magic u32 CHUNKS_MAGIC | version u8 | 3 zero bytes
//                 then per chunk: len uv | chunk bytes (encoding byte first) | crc u32 (over len+bytes)
//   A chunk's ref is segment * 2^32 + byte offset of its record in that segment.
//
// Index file:
//   header        magic u32 INDEX_MAGIC | version u8 | 3 zero bytes
//   symbols       len uv | count uv | count × string (uv byte length, UTF-8), ascending by UTF-16 code
//                 units (as JS `<`) | crc u32 (over len..strings)
//   series        one entry per series in Labels.compare order; a series' ref is its entry's offset:
//                   len uv | nLabels uv | nLabels × (name symbol uv, value symbol uv)
//                   | nChunks uv | per chunk: minT (first: uv; then uv minT − previous maxT − 1)
//                   | maxT − minT uv | ref (first: uv; then uv delta from the previous chunk's record end)
//                   | data length uv | crc u32 (over len..chunks)
//   postings      one list per label pair, and one with every series (pair '', ''):
//                   len uv | count uv | refs as uv deltas (first absolute) | crc u32
//   label table   len uv | nNames uv | per name: name symbol uv | nValues uv
//                   | nValues × (value symbol uv, postings offset delta uv) | crc u32
//                 names and values ascending; the first offset of the whole table is absolute.
//   toc           symbols offset u64 | series offset u64 | postings offset u64 | label table offset u64
//                 | all-postings offset u64 | crc u32 (over the 40 bytes) — the last TOC_BYTES bytes
//   (u64 = two u32 halves, high first.) Every byte after the header is covered by some crc, so a flip
//   anywhere is caught when that part is read; open reads the header, toc, symbols and label table.
//
// Only the symbols and the label table (value → postings offset) are held in memory; series entries,
// postings lists and chunks are read on demand with positional reads.

export const CHUNKS_DIR = 'chunks';
export const INDEX_FILE = 'index';
export const META_FILE = 'meta.json';
export const TOMBSTONES_FILE = 'tombstones';
export const TMP_SUFFIX = '.tmp';

export const CHUNKS_MAGIC = 0x544d4348; // "TMCH"
export const INDEX_MAGIC = 0x544d4958; // "TMIX"
export const TOMBSTONES_MAGIC = 0x544d5453; // "TMTS"
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 8;
export const TOC_BYTES = 5 * 8 + 4;

/** Segments are cut before they would exceed this (Prometheus uses 512 MiB as well). */
export const SEGMENT_MAX_BYTES = 512 * 1024 * 1024;
export const SEGMENT_FACTOR = 2 ** 32;

export function segmentFileName(segment: number): string {
  return String(segment).padStart(6, '0');
}

/** The 8-byte header every binary block file starts with. */
export function fileHeader(magic: number): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES);
  new DataView(h.buffer).setUint32(0, magic);
  h[4] = FORMAT_VERSION;
  return h;
}

/** Why `bytes` is not a valid header for `magic`, or undefined when it is. */
export function headerProblem(bytes: Uint8Array, magic: number): string | undefined {
  if (bytes.length < HEADER_BYTES) return 'truncated header';
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (view.getUint32(0) !== magic) return 'bad magic number';
  if (bytes[4] !== FORMAT_VERSION) return `unsupported version ${bytes[4]}`;
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) return 'bad header padding';
  return undefined;
}
