// Offsets in the query text as Prometheus shows them: `line:col`, 1-based, columns counted in UTF-8
// bytes from the start of the line (Prometheus positions are byte offsets). The parse errors carry
// this prefix: `1:5: parse error: unexpected end of input`.

import { PromqlParseError, PromqlUnsupportedError } from '../errors.ts';

export interface LineCol {
  readonly line: number;
  readonly col: number;
}

/** Line and column (both 1-based) of a 0-based UTF-16 offset into `text`. */
export function positionOf(text: string, offset: number): LineCol {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: utf8Length(text, lineStart, at) + 1 };
}

/** The UTF-8 byte offset of a 0-based UTF-16 offset into `text` (Prometheus counts positions in bytes). */
export function byteOffset(text: string, offset: number): number {
  return utf8Length(text, 0, Math.max(0, Math.min(offset, text.length)));
}

function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Prometheus' position prefix of an error at `offset`, `unknown position` for an empty query. */
export function positionPrefix(text: string, offset: number): string {
  if (text === '') return 'unknown position';
  if (offset < 0 || offset > text.length) return 'invalid position';
  const { line, col } = positionOf(text, offset);
  return `${line}:${col}`;
}

/** A parse error as Prometheus prints it: `<line>:<col>: parse error: <message>`. */
export function parseError(text: string, message: string, start: number, end: number): PromqlParseError {
  return new PromqlParseError(`${positionPrefix(text, start)}: parse error: ${message}`, start, end);
}

/** A query using an experimental Prometheus feature that telemux does not implement. */
export function unsupportedError(
  text: string,
  feature: string,
  start: number,
  end: number,
): PromqlUnsupportedError {
  const message = `${positionPrefix(text, start)}: parse error: not supported by telemux (experimental in Prometheus): ${feature}`;
  return new PromqlUnsupportedError(message, start, end, feature);
}
