// Turning the input of the parser into a string: bytes must be valid UTF-8 (OpenMetrics requires
// it, and Prometheus label values must be), strings well-formed UTF-16. A BOM is kept here; the
// parser decides what it means.

import { isUtf8 } from 'node:buffer';
import { ExpositionParseError } from './errors.ts';

export function decodeExposition(input: string | Uint8Array): string {
  if (typeof input === 'string') {
    if (!input.isWellFormed()) {
      const at = input.search(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      throw new ExpositionParseError(lineAt(input, at), 'text contains a lone surrogate (not valid Unicode)');
    }
    return input;
  }
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    let line = 1;
    for (let i = 0; i < at; i++) if (buf[i] === 10) line++;
    const byte = buf[at].toString(16).padStart(2, '0');
    throw new ExpositionParseError(line, `invalid UTF-8 (byte 0x${byte} at offset ${at})`);
  }
  return buf.toString('utf8');
}

function lineAt(s: string, index: number): number {
  let line = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < index; i = s.indexOf('\n', i + 1)) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
