;; The line-protocol lines of a body, found and — for the common shape — read in one pass
;; (line-scan.ts puts the body in this memory and reads the records). For every line it records
;; where the line is; for a line of the shape `series field=number[ timestamp]` it also records the
;; series, the field key, the value and the timestamp in ms, exactly as the byte scanner
;; (byte-scanner.ts) reads such a line. Anything else (several fields, strings, booleans, escapes,
;; exponents, more than 15 digits, leading blanks, comments, timestamps out of range) is left to
;; the byte scanner: kind 0. The timestamp is converted here rather than by timestampToMs in JS:
;; a call with a double argument boxes it, one heap number per line.
;;
;; Source of line-scan-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
;;
;; Lines are searched 16 bytes at a time for `\n`, the first space and any backslash, so the caller
;; leaves 16 zero bytes after the body (zero matches none of them).
;;
;; A record is 64 bytes:
;;   +0 start  +4 stop (end without a trailing \r)  +8 next (after the \n)  +12 kind (0 or 1)
;;   +16 seriesEnd (the first space)  +20 keyStart  +24 keyEnd  +28 1 when there is a timestamp
;;   +32 value (f64)  +40 the timestamp in ms (f64), as timestamp.ts's timestampToMs gives it: the
;;   digits above the ms times the precision's ms, floored below zero; a line whose timestamp is out
;;   of range (more than 16 digits of ms, beyond ±9,223,372,036,854 ms) is kind 0
(module
  (memory (export "memory") 1)

  ;; 10^k for k ≤ 15, exact doubles
  (func $pow10 (param $k i32) (result f64)
    (local $p f64)
    (local.set $p (f64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $p (f64.mul (local.get $p) (f64.const 10)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $p))

  ;; Reads the field and timestamp of the line [from, stop) whose series ends at `from` (a space);
  ;; fills the record at `rec` and returns 1, or returns 0 when the byte scanner must read the line.
  (func $simple (param $from i32) (param $stop i32) (param $rec i32) (param $subMs i32) (param $unit i64) (result i32)
    (local $i i32) (local $c i32) (local $keyStart i32) (local $high i32) (local $neg i32)
    (local $m i64) (local $digits i32) (local $frac i32) (local $v f64) (local $flags i32)
    (local $b i32) (local $tsFrom i32) (local $q i64) (local $split i32) (local $k i32) (local $ms i64)
    (local.set $i (local.get $from))
    ;; spaces after the series
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $i) (local.get $stop)))
      (br_if $b1 (i32.ne (i32.load8_u (local.get $i)) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l1)))
    ;; the key, up to `=`: no space, comma (or backslash: none in the line); ASCII only
    (local.set $keyStart (local.get $i))
    (block $b2 (loop $l2
      (if (i32.ge_u (local.get $i) (local.get $stop)) (then (return (i32.const 0))))
      (local.set $c (i32.load8_u (local.get $i)))
      (br_if $b2 (i32.eq (local.get $c) (i32.const 61)))
      (if (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 44)))
        (then (return (i32.const 0))))
      (local.set $high (i32.or (local.get $high) (local.get $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    (if (i32.eq (local.get $i) (local.get $keyStart)) (then (return (i32.const 0))))
    (if (i32.ge_u (local.get $high) (i32.const 0x80)) (then (return (i32.const 0))))
    (i32.store offset=20 (local.get $rec) (local.get $keyStart))
    (i32.store offset=24 (local.get $rec) (local.get $i))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))

    ;; the value: -?digits[.digits] or -?digits(i|u), at most 15 digits
    (if (i32.ge_u (local.get $i) (local.get $stop)) (then (return (i32.const 0))))
    (local.set $neg (i32.eq (i32.load8_u (local.get $i)) (i32.const 45)))
    (if (local.get $neg) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (block $b3 (loop $l3
      (br_if $b3 (i32.ge_u (local.get $i) (local.get $stop)))
      (local.set $c (i32.load8_u (local.get $i)))
      (br_if $b3 (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
      (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
                             (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l3)))
    (local.set $c (i32.const 0))
    (if (i32.lt_u (local.get $i) (local.get $stop))
      (then (local.set $c (i32.load8_u (local.get $i)))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 105))
                (i32.and (i32.eq (local.get $c) (i32.const 117)) (i32.eqz (local.get $neg))))
      (then
        ;; integer
        (if (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 15)))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $v (f64.convert_i64_u (local.get $m))))
      (else
        ;; float
        (if (i32.eq (local.get $c) (i32.const 46))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (block $b4 (loop $l4
              (br_if $b4 (i32.ge_u (local.get $i) (local.get $stop)))
              (local.set $c (i32.load8_u (local.get $i)))
              (br_if $b4 (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
              (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
                                     (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
              (local.set $frac (i32.add (local.get $frac) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l4)))
            (local.set $digits (i32.add (local.get $digits) (local.get $frac)))))
        (if (i32.or (i32.eqz (local.get $digits)) (i32.gt_u (local.get $digits) (i32.const 15)))
          (then (return (i32.const 0))))
        (local.set $v (f64.div (f64.convert_i64_u (local.get $m)) (call $pow10 (local.get $frac))))))
    (if (local.get $neg) (then (local.set $v (f64.neg (local.get $v)))))
    (f64.store offset=32 (local.get $rec) (local.get $v))
    ;; then the end, or a space; a comma (more fields) or anything else is not this shape
    (if (i32.ge_u (local.get $i) (local.get $stop))
      (then (i32.store offset=28 (local.get $rec) (i32.const 0)) (return (i32.const 1))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 32)) (then (return (i32.const 0))))

    ;; the timestamp: spaces, -?digits, then only spaces and tabs
    (block $b5 (loop $l5
      (br_if $b5 (i32.ge_u (local.get $i) (local.get $stop)))
      (br_if $b5 (i32.ne (i32.load8_u (local.get $i)) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l5)))
    (if (i32.ge_u (local.get $i) (local.get $stop))
      (then (i32.store offset=28 (local.get $rec) (i32.const 0)) (return (i32.const 1))))
    (local.set $flags (i32.const 1))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 45))
      (then
        (local.set $flags (i32.const 3))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (local.set $tsFrom (local.get $i))
    (local.set $b (local.get $i))
    (block $b6 (loop $l6
      (br_if $b6 (i32.ge_u (local.get $b) (local.get $stop)))
      (local.set $c (i32.load8_u (local.get $b)))
      (br_if $b6 (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
      (local.set $q (i64.add (i64.mul (local.get $q) (i64.const 10))
                             (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $l6)))
    (if (i32.eq (local.get $b) (local.get $tsFrom)) (then (return (i32.const 0))))
    (local.set $k (local.get $b))
    (block $b7 (loop $l7
      (br_if $b7 (i32.ge_u (local.get $k) (local.get $stop)))
      (local.set $c (i32.load8_u (local.get $k)))
      (if (i32.and (i32.ne (local.get $c) (i32.const 32)) (i32.ne (local.get $c) (i32.const 9)))
        (then (return (i32.const 0))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l7)))
    ;; leading zeros (but the last digit) are not counted
    (local.set $i (local.get $tsFrom))
    (block $b8 (loop $l8
      (br_if $b8 (i32.ge_u (local.get $i) (i32.sub (local.get $b) (i32.const 1))))
      (br_if $b8 (i32.ne (i32.load8_u (local.get $i)) (i32.const 48)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l8)))
    ;; split at the millisecond: the digits above make the ms part, those below only set a flag
    (local.set $split (i32.sub (local.get $b) (local.get $subMs)))
    (if (i32.lt_s (local.get $split) (local.get $b))
      (then
        (local.set $q (i64.const 0))
        (local.set $k (local.get $i))
        (block $b9 (loop $l9
          (br_if $b9 (i32.ge_s (local.get $k) (local.get $split)))
          (local.set $q (i64.add (i64.mul (local.get $q) (i64.const 10))
                                 (i64.extend_i32_u (i32.sub (i32.load8_u (local.get $k)) (i32.const 48)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l9)))
        (local.set $k (select (local.get $i) (local.get $split) (i32.gt_s (local.get $i) (local.get $split))))
        (block $b10 (loop $l10
          (br_if $b10 (i32.ge_s (local.get $k) (local.get $b)))
          (if (i32.ne (i32.load8_u (local.get $k)) (i32.const 48))
            (then (local.set $flags (i32.or (local.get $flags) (i32.const 4)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $l10)))))
    ;; to ms: at most 16 digits of ms (so q is exact), within ±9,223,372,036,854 ms (int64 ns)
    (if (i32.gt_s (i32.sub (local.get $split) (local.get $i)) (i32.const 16)) (then (return (i32.const 0))))
    (if (i64.gt_u (local.get $q) (i64.div_u (i64.const 9223372036854) (local.get $unit))) (then (return (i32.const 0))))
    (local.set $ms (i64.mul (local.get $q) (local.get $unit)))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        ;; below zero a time between two ms is floored: -1.5 ms is -2 ms
        (if (i32.and (local.get $flags) (i32.const 4)) (then (local.set $ms (i64.add (local.get $ms) (i64.const 1)))))
        (if (i64.gt_u (local.get $ms) (i64.const 9223372036854)) (then (return (i32.const 0))))
        (local.set $ms (i64.sub (i64.const 0) (local.get $ms)))))
    (i32.store offset=28 (local.get $rec) (i32.const 1))
    (f64.store offset=40 (local.get $rec) (f64.convert_i64_s (local.get $ms)))
    (i32.const 1))

  ;; Records the lines of mem[pos, len), at most `max` of them, from `out` on; returns how many.
  ;; `subMs`: digits of a timestamp below the millisecond (6 for ns, 3 for us, else 0); `unit`: ms in
  ;; one unit of the timestamps above the millisecond (1, or 1,000 for s, 60,000 for m, 3,600,000 for h).
  (func (export "scan") (param $pos i32) (param $len i32) (param $out i32) (param $max i32) (param $subMs i32) (param $unit i64) (result i32)
    (local $lines i32) (local $rec i32) (local $p i32) (local $v v128)
    (local $nl i32) (local $sp i32) (local $bs i32) (local $end i32) (local $stop i32)
    (local $space i32) (local $backslash i32) (local $first i32) (local $kind i32)
    (block $done
      (loop $line
        (br_if $done (i32.ge_u (local.get $pos) (local.get $len)))
        (br_if $done (i32.ge_u (local.get $lines) (local.get $max)))
        ;; the \n, the first space and whether there is a backslash, 16 bytes at a time
        (local.set $p (local.get $pos))
        (local.set $space (i32.const -1))
        (local.set $backslash (i32.const 0))
        (block $found
          (loop $chunk
            (local.set $v (v128.load (local.get $p)))
            (local.set $nl (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
            (local.set $sp (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 32)))))
            (local.set $bs (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))))
            (if (local.get $nl)
              (then
                ;; a backslash of the next line is not this line's (a space past the end is
                ;; found past `stop`, which rules it out below)
                (local.set $first (i32.sub (i32.shl (i32.const 1) (i32.ctz (local.get $nl))) (i32.const 1)))
                (local.set $bs (i32.and (local.get $bs) (local.get $first)))))
            (if (i32.and (i32.lt_s (local.get $space) (i32.const 0)) (i32.ne (local.get $sp) (i32.const 0)))
              (then (local.set $space (i32.add (local.get $p) (i32.ctz (local.get $sp))))))
            (if (local.get $bs) (then (local.set $backslash (i32.const 1))))
            (if (local.get $nl)
              (then
                (local.set $end (i32.add (local.get $p) (i32.ctz (local.get $nl))))
                (br $found)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br_if $chunk (i32.lt_u (local.get $p) (local.get $len)))
            (local.set $end (local.get $len))))
        (if (i32.gt_u (local.get $end) (local.get $len)) (then (local.set $end (local.get $len))))
        (local.set $stop (local.get $end))
        (if (i32.gt_u (local.get $end) (local.get $pos))
          (then
            (if (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 13))
              (then (local.set $stop (i32.sub (local.get $end) (i32.const 1)))))))
        (local.set $rec (i32.add (local.get $out) (i32.shl (local.get $lines) (i32.const 6))))
        (i32.store offset=0 (local.get $rec) (local.get $pos))
        (i32.store offset=4 (local.get $rec) (local.get $stop))
        (i32.store offset=8 (local.get $rec) (i32.add (local.get $end) (i32.const 1)))
        (local.set $kind (i32.const 0))
        ;; the shape needs: no backslash, a series that starts the line (no blank, no comment)
        ;; and ends at a space before the line does
        (if (i32.and
              (i32.eqz (local.get $backslash))
              (i32.and (i32.ge_s (local.get $space) (i32.const 0))
                       (i32.lt_s (local.get $space) (local.get $stop))))
          (then
            (local.set $first (i32.load8_u (local.get $pos)))
            (if (i32.and (i32.and (i32.ne (local.get $first) (i32.const 32)) (i32.ne (local.get $first) (i32.const 9)))
                         (i32.and (i32.ne (local.get $first) (i32.const 35)) (i32.gt_s (local.get $space) (local.get $pos))))
              (then
                (i32.store offset=16 (local.get $rec) (local.get $space))
                (local.set $kind (call $simple (local.get $space) (local.get $stop) (local.get $rec) (local.get $subMs) (local.get $unit)))))))
        (i32.store offset=12 (local.get $rec) (local.get $kind))
        (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
        (local.set $pos (i32.add (local.get $end) (i32.const 1)))
        (br $line)))
    (local.get $lines))
)
