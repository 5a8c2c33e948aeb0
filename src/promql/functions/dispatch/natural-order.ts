// The natural string order sort_by_label uses (Prometheus uses github.com/facette/natsort): runs of
// digits compare as numbers (longer run = bigger, after skipping leading zeros), everything else
// byte by byte. Compared on UTF-8 bytes, as Go compares strings.

const ZERO = 0x30;
const NINE = 0x39;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Whether `a` sorts strictly before `b`. */
export function naturalLess(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  let i = 0;
  let j = 0;
  for (;;) {
    if (i >= x.length) return j < y.length;
    if (j >= y.length) return false;
    let cx = x[i];
    let cy = y[j];
    if (isDigit(cx) && isDigit(cy)) {
      // Measure both digit runs; a leading zero is skipped while more characters follow (this is
      // what facette/natsort does, including its quirks after the zeros).
      let lx = 1;
      while (i + lx < x.length) {
        const next = x[i + lx];
        if (cx === ZERO) {
          i++;
          cx = next;
          continue;
        }
        if (!isDigit(next)) break;
        lx++;
      }
      let ly = 1;
      while (j + ly < y.length) {
        const next = y[j + ly];
        if (cy === ZERO) {
          j++;
          cy = next;
          continue;
        }
        if (!isDigit(next)) break;
        ly++;
      }
      if (ly > lx) return true;
      if (lx > ly) return false;
      const c = Buffer.compare(x.subarray(i, i + lx), y.subarray(j, j + ly));
      if (c !== 0) return c < 0;
      i += lx;
      j += ly;
      continue;
    }
    if (cx === cy) {
      i++;
      j++;
      continue;
    }
    return cx < cy;
  }
}
