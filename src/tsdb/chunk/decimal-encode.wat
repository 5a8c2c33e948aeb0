;; The decimal chunk encoder of decimal-chunk.ts (`encodeDecimalBytes`), byte for byte, for the
;; recode that weighs every sealed chunk's decimal encoding: the JS works through Float64Arrays and
;; a bit writer object, this in 64-bit integers. decimal-encode.ts is the JS face; a differential
;; property test holds the two encoders to the same bytes.
;;
;; Source of decimal-encode-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
;;
;; Memory, for a capacity of `cap` samples (all arrays 8 bytes an element):
;;   0          f64 ts[cap]        the timestamps (valid: integers in [0, 2^53), increasing)
;;   8·cap      f64 vs[cap]        the values
;;   16·cap     i64 m[cap]         mantissas
;;   24·cap     i64 tsDod[cap]     timestamps' deltas of deltas
;;   32·cap     i64 res[cap]       timestamps' residuals from the grid
;;   40·cap     i64 delta[cap]     mantissas' deltas
;;   48·cap     i64 dod[cap]       mantissas' deltas of deltas
;;   56·cap     i32 h[3·54]        the width histograms
;;   56·cap+648 the four plans, 32 bytes each: i64 base, i32 zigzag, i32 short, i32 long, i32 bits
;;   56·cap+776 the output bytes (at most 16·cap + 64)
(module
  (memory (export "memory") 1)

  (global $out (mut i32) (i32.const 0))
  (global $acc (mut i64) (i64.const 0))
  (global $nacc (mut i32) (i32.const 0))
  (global $h (mut i32) (i32.const 0))

  ;; Writes the low `nb` (0–56) bits of `v`, most significant first (a code's field, flag included,
  ;; is at most 54 bits).
  (func $put (param $v i64) (param $nb i32)
    (if (i32.eqz (local.get $nb)) (then (return)))
    (global.set $acc (i64.or (i64.shl (global.get $acc) (i64.extend_i32_u (local.get $nb)))
      (i64.and (local.get $v) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $nb))) (i64.const 1)))))
    (global.set $nacc (i32.add (global.get $nacc) (local.get $nb)))
    (block $done
      (loop $byte
        (br_if $done (i32.lt_u (global.get $nacc) (i32.const 8)))
        (global.set $nacc (i32.sub (global.get $nacc) (i32.const 8)))
        (i32.store8 (global.get $out)
          (i32.wrap_i64 (i64.shr_u (global.get $acc) (i64.extend_i32_u (global.get $nacc)))))
        (global.set $out (i32.add (global.get $out) (i32.const 1)))
        (br $byte))))

  (func $uvarint (param $v i64)
    (block $last
      (loop $group
        (br_if $last (i64.lt_u (local.get $v) (i64.const 0x80)))
        (call $put (i64.or (i64.and (local.get $v) (i64.const 0x7f)) (i64.const 0x80)) (i32.const 8))
        (local.set $v (i64.shr_u (local.get $v) (i64.const 7)))
        (br $group)))
    (call $put (local.get $v) (i32.const 8)))

  ;; A sign bit, then the magnitude's varint.
  (func $signedVarint (param $v i64)
    (call $put (i64.extend_i32_u (i64.lt_s (local.get $v) (i64.const 0))) (i32.const 1))
    (call $uvarint (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (i64.lt_s (local.get $v) (i64.const 0)))))

  ;; Bits $signedVarint spends on `v`.
  (func $signedVarintBits (param $v i64) (result i32)
    (local $bits i32) (local $a i64)
    (local.set $bits (i32.const 9))
    (local.set $a (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (i64.lt_s (local.get $v) (i64.const 0))))
    (block $done
      (loop $more
        (br_if $done (i64.lt_u (local.get $a) (i64.const 0x80)))
        (local.set $bits (i32.add (local.get $bits) (i32.const 8)))
        (local.set $a (i64.shr_u (local.get $a) (i64.const 7)))
        (br $more)))
    (local.get $bits))

  (func $zigzag (param $x i64) (result i64)
    (i64.xor (i64.shl (local.get $x) (i64.const 1)) (i64.shr_s (local.get $x) (i64.const 63))))

  ;; Math.round: the nearest integer, halves towards +∞.
  (func $round (param $x f64) (result f64)
    (local $r f64)
    (local.set $r (f64.floor (local.get $x)))
    (select (f64.add (local.get $r) (f64.const 1)) (local.get $r)
      (f64.ge (f64.sub (local.get $x) (local.get $r)) (f64.const 0.5))))

  ;; 10^k, as decimal.ts builds its table (k ≤ 22: exact).
  (func $pow10 (param $k i32) (result f64)
    (local $p f64)
    (local.set $p (f64.const 1))
    (block $done
      (loop $times
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $p (f64.mul (local.get $p) (f64.const 10)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $times)))
    (local.get $p))

  ;; decimal.ts mantissaAt: v = m / 10^scale exactly with |m| ≤ 2^48 - 1, else NaN (and for -0).
  (func $mantissaAt (param $v f64) (param $scale i32) (param $p f64) (result f64)
    (local $m f64)
    (local.set $m (call $round (f64.mul (local.get $v) (local.get $p))))
    (if (i32.eqz (f64.le (f64.abs (local.get $m)) (f64.const 281474976710655)))
      (then (return (f64.const nan))))
    (if (f64.ne (select (local.get $m) (f64.div (local.get $m) (local.get $p)) (i32.eqz (local.get $scale)))
                (local.get $v))
      (then (return (f64.const nan))))
    (if (i64.eq (i64.reinterpret_f64 (local.get $v)) (i64.const 0x8000000000000000))
      (then (return (f64.const nan))))
    (local.get $m))

  ;; decimal.ts scaleFor: the smallest scale ≥ from at which v is an exact decimal, or -1.
  (func $scaleFor (param $v f64) (param $from i32) (result i32)
    (local $k i32) (local $p f64) (local $m f64)
    (if (i32.eqz (f64.lt (f64.abs (local.get $v)) (f64.const inf))) (then (return (i32.const -1))))
    (local.set $k (local.get $from))
    (local.set $p (call $pow10 (local.get $k)))
    (block $none
      (loop $next
        (br_if $none (i32.gt_s (local.get $k) (i32.const 22)))
        (local.set $m (call $round (f64.mul (local.get $v) (local.get $p))))
        (br_if $none (i32.eqz (f64.le (f64.abs (local.get $m)) (f64.const 281474976710655))))
        (if (f64.eq (select (local.get $m) (f64.div (local.get $m) (local.get $p)) (i32.eqz (local.get $k)))
                    (local.get $v))
          (then
            (return (select (i32.const -1) (local.get $k)
              (i64.eq (i64.reinterpret_f64 (local.get $v)) (i64.const 0x8000000000000000))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $p (f64.mul (local.get $p) (f64.const 10)))
        (br $next)))
    (i32.const -1))

  ;; Counts the bit lengths of values[start, start+count) − base (zigzagged when zz) into the
  ;; histogram at `at` (54 bins).
  (func $histogram (param $values i32) (param $start i32) (param $count i32) (param $at i32)
      (param $base i64) (param $zz i32)
    (local $i i32) (local $z i64) (local $bin i32)
    (memory.fill (local.get $at) (i32.const 0) (i32.const 216))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $z (i64.sub (i64.load (i32.add (local.get $values)
          (i32.shl (i32.add (local.get $start) (local.get $i)) (i32.const 3)))) (local.get $base)))
        (if (local.get $zz) (then (local.set $z (call $zigzag (local.get $z)))))
        (local.set $bin (i32.add (local.get $at)
          (i32.shl (i32.sub (i32.const 64) (i32.wrap_i64 (i64.clz (local.get $z)))) (i32.const 2))))
        (i32.store (local.get $bin) (i32.add (i32.load (local.get $bin)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; TwoWidthPlan's histogramsSmall: all three candidates' histograms in one pass, in 32-bit
  ;; integers (every value within ±2^29).
  (func $histogramsSmall (param $values i32) (param $start i32) (param $count i32) (param $min i32) (param $common i32)
    (local $i i32) (local $x i32) (local $d i32) (local $bin i32) (local $h i32)
    (local.set $h (global.get $h))
    (memory.fill (local.get $h) (i32.const 0) (i32.const 648))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $x (i32.wrap_i64 (i64.load (i32.add (local.get $values)
          (i32.shl (i32.add (local.get $start) (local.get $i)) (i32.const 3))))))
        (local.set $d (i32.sub (local.get $x) (local.get $common)))
        (local.set $bin (i32.add (local.get $h)
          (i32.shl (i32.sub (i32.const 32) (i32.clz (i32.sub (local.get $x) (local.get $min)))) (i32.const 2))))
        (i32.store (local.get $bin) (i32.add (i32.load (local.get $bin)) (i32.const 1)))
        (local.set $bin (i32.add (local.get $h) (i32.add (i32.const 216)
          (i32.shl (i32.sub (i32.const 32) (i32.clz (i32.xor (i32.shl (local.get $x) (i32.const 1))
            (i32.shr_s (local.get $x) (i32.const 31))))) (i32.const 2)))))
        (i32.store (local.get $bin) (i32.add (i32.load (local.get $bin)) (i32.const 1)))
        (local.set $bin (i32.add (local.get $h) (i32.add (i32.const 432)
          (i32.shl (i32.sub (i32.const 32) (i32.clz (i32.xor (i32.shl (local.get $d) (i32.const 1))
            (i32.shr_s (local.get $d) (i32.const 31))))) (i32.const 2)))))
        (i32.store (local.get $bin) (i32.add (i32.load (local.get $bin)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; TwoWidthPlan's consider: weighs the histogram at `at` for (base, zz); keeps it in the plan at
  ;; `plan` when it costs fewer bits than the plan's best so far.
  (func $consider (param $plan i32) (param $at i32) (param $count i32) (param $base i64) (param $zz i32)
    (local $long i32) (local $short i32) (local $bestShort i32) (local $best i32) (local $fitting i32)
    (local $cost i32) (local $bits i32)
    (local.set $long (i32.const 53))
    (block $found
      (loop $down
        (br_if $found (i32.eqz (local.get $long)))
        (br_if $found (i32.load (i32.add (local.get $at) (i32.shl (local.get $long) (i32.const 2)))))
        (local.set $long (i32.sub (local.get $long) (i32.const 1)))
        (br $down)))
    (local.set $bestShort (local.get $long))
    (local.set $best (i32.mul (local.get $count) (local.get $long)))
    (block $done
      (loop $widths
        (br_if $done (i32.ge_u (local.get $short) (local.get $long)))
        (local.set $fitting (i32.add (local.get $fitting)
          (i32.load (i32.add (local.get $at) (i32.shl (local.get $short) (i32.const 2))))))
        (local.set $cost (i32.add (i32.add (local.get $count) (i32.mul (local.get $fitting) (local.get $short)))
          (i32.mul (i32.sub (local.get $count) (local.get $fitting)) (local.get $long))))
        (if (i32.lt_s (local.get $cost) (local.get $best))
          (then
            (local.set $best (local.get $cost))
            (local.set $bestShort (local.get $short))))
        (local.set $short (i32.add (local.get $short) (i32.const 1)))
        (br $widths)))
    (local.set $bits (i32.add (i32.add (call $signedVarintBits (local.get $base)) (i32.const 13)) (local.get $best)))
    (if (i32.lt_s (local.get $bits) (i32.load offset=20 (local.get $plan)))
      (then
        (i32.store offset=20 (local.get $plan) (local.get $bits))
        (i64.store (local.get $plan) (local.get $base))
        (i32.store offset=8 (local.get $plan) (local.get $zz))
        (i32.store offset=12 (local.get $plan) (local.get $bestShort))
        (i32.store offset=16 (local.get $plan) (local.get $long)))))

  ;; TwoWidthPlan.choose for values[start, start+count): the plan's bits.
  (func $choose (param $plan i32) (param $values i32) (param $start i32) (param $count i32) (result i32)
    (local $i i32) (local $x i64) (local $min i64) (local $max i64) (local $common i64) (local $votes i32)
    (local $h i32)
    (local.set $h (global.get $h))
    (if (local.get $count)
      (then (local.set $min (i64.load (i32.add (local.get $values) (i32.shl (local.get $start) (i32.const 3)))))))
    (local.set $max (local.get $min))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $x (i64.load (i32.add (local.get $values)
          (i32.shl (i32.add (local.get $start) (local.get $i)) (i32.const 3)))))
        (if (i64.lt_s (local.get $x) (local.get $min)) (then (local.set $min (local.get $x))))
        (if (i64.gt_s (local.get $x) (local.get $max)) (then (local.set $max (local.get $x))))
        (if (i32.eqz (local.get $votes))
          (then
            (local.set $common (local.get $x))
            (local.set $votes (i32.const 1)))
          (else
            (local.set $votes (select (i32.add (local.get $votes) (i32.const 1)) (i32.sub (local.get $votes) (i32.const 1))
              (i64.eq (local.get $x) (local.get $common))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.store offset=20 (local.get $plan) (i32.const 0x7fffffff))
    (if (i32.and (i64.ge_s (local.get $min) (i64.const -536870912)) (i64.le_s (local.get $max) (i64.const 536870912)))
      (then
        (call $histogramsSmall (local.get $values) (local.get $start) (local.get $count)
          (i32.wrap_i64 (local.get $min)) (i32.wrap_i64 (local.get $common)))
        (call $consider (local.get $plan) (local.get $h) (local.get $count) (local.get $min) (i32.const 0))
        (call $consider (local.get $plan) (i32.add (local.get $h) (i32.const 216)) (local.get $count) (i64.const 0) (i32.const 1))
        (if (i64.ne (local.get $common) (i64.const 0))
          (then (call $consider (local.get $plan) (i32.add (local.get $h) (i32.const 432)) (local.get $count)
            (local.get $common) (i32.const 1)))))
      (else
        (call $histogram (local.get $values) (local.get $start) (local.get $count) (local.get $h) (local.get $min) (i32.const 0))
        (call $consider (local.get $plan) (local.get $h) (local.get $count) (local.get $min) (i32.const 0))
        (call $histogram (local.get $values) (local.get $start) (local.get $count) (local.get $h) (i64.const 0) (i32.const 1))
        (call $consider (local.get $plan) (local.get $h) (local.get $count) (i64.const 0) (i32.const 1))
        (if (i64.ne (local.get $common) (i64.const 0))
          (then
            (call $histogram (local.get $values) (local.get $start) (local.get $count) (local.get $h) (local.get $common) (i32.const 1))
            (call $consider (local.get $plan) (local.get $h) (local.get $count) (local.get $common) (i32.const 1))))))
    (i32.load offset=20 (local.get $plan)))

  (func $header (param $plan i32)
    (call $signedVarint (i64.load (local.get $plan)))
    (call $put (i64.extend_i32_u (i32.load offset=8 (local.get $plan))) (i32.const 1))
    (call $put (i64.extend_i32_u (i32.load offset=12 (local.get $plan))) (i32.const 6))
    (call $put (i64.extend_i32_u (i32.load offset=16 (local.get $plan))) (i32.const 6)))

  ;; TwoWidthPlan.write: x in the plan's code — its flag (when there are two widths) and its bits,
  ;; put as one field.
  (func $write (param $plan i32) (param $x i64)
    (local $z i64) (local $short i32) (local $long i32)
    (local.set $z (i64.sub (local.get $x) (i64.load (local.get $plan))))
    (if (i32.load offset=8 (local.get $plan)) (then (local.set $z (call $zigzag (local.get $z)))))
    (local.set $short (i32.load offset=12 (local.get $plan)))
    (local.set $long (i32.load offset=16 (local.get $plan)))
    (if (i32.eq (local.get $short) (local.get $long))
      (then (call $put (local.get $z) (local.get $long)) (return)))
    (if (i32.le_u (i32.sub (i32.const 64) (i32.wrap_i64 (i64.clz (local.get $z)))) (local.get $short))
      (then (call $put (local.get $z) (i32.add (local.get $short) (i32.const 1))))
      (else (call $put (i64.or (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $long))) (local.get $z))
        (i32.add (local.get $long) (i32.const 1))))))

  ;; Encodes the n samples at ts and vs (see the layout above, capacity `cap` ≥ n) as a decimal
  ;; chunk. Returns the chunk's length in bytes, or -1 when some value is not an exact decimal or a
  ;; timestamp's delta of deltas is out of the code's range (encodeDecimalBytes' undefined).
  (func (export "encode") (param $n i32) (param $cap i32) (result i32)
    (local $vs i32) (local $m i32) (local $tsDod i32) (local $res i32) (local $delta i32) (local $dod i32)
    (local $plans i32) (local $gridPlan i32) (local $tsDodPlan i32) (local $deltaPlan i32) (local $dodPlan i32)
    (local $tsPlan i32) (local $valuePlan i32) (local $start i32)
    (local $i i32) (local $scale i32) (local $redoBefore i32) (local $p f64) (local $v f64) (local $mf f64)
    (local $t0 i64) (local $span i64) (local $step i64) (local $grid i32) (local $byDod i32) (local $r i64)
    (local $x i64) (local $gridBits i32) (local $dodBits i32) (local $t f64) (local $prev f64) (local $t1 i64)
    (local $at i32)
    (local.set $vs (i32.shl (local.get $cap) (i32.const 3)))
    (local.set $m (i32.shl (local.get $cap) (i32.const 4)))
    (local.set $tsDod (i32.mul (local.get $cap) (i32.const 24)))
    (local.set $res (i32.shl (local.get $cap) (i32.const 5)))
    (local.set $delta (i32.mul (local.get $cap) (i32.const 40)))
    (local.set $dod (i32.mul (local.get $cap) (i32.const 48)))
    (global.set $h (i32.mul (local.get $cap) (i32.const 56)))
    (local.set $plans (i32.add (global.get $h) (i32.const 648)))
    (local.set $gridPlan (local.get $plans))
    (local.set $tsDodPlan (i32.add (local.get $plans) (i32.const 32)))
    (local.set $deltaPlan (i32.add (local.get $plans) (i32.const 64)))
    (local.set $dodPlan (i32.add (local.get $plans) (i32.const 96)))
    (local.set $start (i32.add (local.get $plans) (i32.const 128)))
    ;; The timestamps as integers, into res (their residuals replace them later); -2 for one that
    ;; is not an integer in [0, 2^53) after the one before (checkTimestamps says which).
    (local.set $prev (f64.const -1))
    (block $converted
      (loop $each
        (br_if $converted (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $t (f64.load (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.eqz (i32.and (i32.and (f64.eq (local.get $t) (f64.trunc (local.get $t)))
                                       (f64.gt (local.get $t) (local.get $prev)))
                              (f64.le (local.get $t) (f64.const 9007199254740991))))
          (then (return (i32.const -2))))
        (i64.store (i32.add (local.get $res) (i32.shl (local.get $i) (i32.const 3))) (i64.trunc_f64_s (local.get $t)))
        (local.set $prev (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.set $i (i32.const 0))
    ;; One scale for the chunk: the largest any value needs; mantissas before its last change redone.
    (local.set $p (f64.const 1))
    (block $scaled
      (loop $each
        (br_if $scaled (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f64.load (i32.add (local.get $vs) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $mf (call $mantissaAt (local.get $v) (local.get $scale) (local.get $p)))
        (if (f64.ne (local.get $mf) (local.get $mf))
          (then
            (local.set $scale (call $scaleFor (local.get $v) (i32.add (local.get $scale) (i32.const 1))))
            (if (i32.lt_s (local.get $scale) (i32.const 0)) (then (return (i32.const -1))))
            (local.set $p (call $pow10 (local.get $scale)))
            (local.set $mf (call $mantissaAt (local.get $v) (local.get $scale) (local.get $p)))
            (local.set $redoBefore (local.get $i))))
        (i64.store (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))) (i64.trunc_f64_s (local.get $mf)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.set $i (i32.const 0))
    (block $redone
      (loop $each
        (br_if $redone (i32.ge_u (local.get $i) (local.get $redoBefore)))
        (local.set $mf (call $mantissaAt (f64.load (i32.add (local.get $vs) (i32.shl (local.get $i) (i32.const 3))))
          (local.get $scale) (local.get $p)))
        (if (f64.ne (local.get $mf) (local.get $mf)) (then (return (i32.const -1))))
        (i64.store (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))) (i64.trunc_f64_s (local.get $mf)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    ;; Deltas of deltas (timestamps within ±2^50, else XOR keeps the chunk), deltas.
    (local.set $i (i32.const 2))
    (block $dods
      (loop $each
        (br_if $dods (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $res) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $x (i64.sub
          (i64.sub (i64.load (local.get $at)) (i64.load offset=0 (i32.sub (local.get $at) (i32.const 8))))
          (i64.sub (i64.load (i32.sub (local.get $at) (i32.const 8))) (i64.load (i32.sub (local.get $at) (i32.const 16))))))
        (if (i64.gt_u (i64.add (local.get $x) (i64.const 0x4000000000000)) (i64.const 0x8000000000000))
          (then (return (i32.const -1))))
        (i64.store (i32.add (local.get $tsDod) (i32.shl (local.get $i) (i32.const 3))) (local.get $x))
        (local.set $at (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))))
        (i64.store (i32.add (local.get $dod) (i32.shl (local.get $i) (i32.const 3)))
          (i64.sub
            (i64.sub (i64.load (local.get $at)) (i64.load (i32.sub (local.get $at) (i32.const 8))))
            (i64.sub (i64.load (i32.sub (local.get $at) (i32.const 8))) (i64.load (i32.sub (local.get $at) (i32.const 16))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.set $i (i32.const 1))
    (block $deltas
      (loop $each
        (br_if $deltas (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3))))
        (i64.store (i32.add (local.get $delta) (i32.shl (local.get $i) (i32.const 3)))
          (i64.sub (i64.load (local.get $at)) (i64.load (i32.sub (local.get $at) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    ;; Timestamps: residuals from a grid with the chunk's average step, when exact and bounded.
    (if (local.get $n)
      (then
        (local.set $t0 (i64.load (local.get $res)))
        (local.set $t1 (i64.load offset=8 (local.get $res)))
        (local.set $span (i64.sub (i64.load (i32.add (local.get $res) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 3))))
          (local.get $t0)))))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then
        (local.set $step (i64.trunc_f64_s (call $round (f64.div (f64.convert_i64_s (local.get $span))
          (f64.convert_i32_u (i32.sub (local.get $n) (i32.const 1)))))))
        (if (i64.lt_s (local.get $step) (i64.const 1)) (then (local.set $step (i64.const 1))))))
    (local.set $grid (i32.and (i32.ge_u (local.get $n) (i32.const 2))
      (i64.le_s (local.get $span) (i64.const 0x4000000000000))))
    (local.set $i (i32.const 1))
    (block $residuals
      (loop $each
        (br_if $residuals (i32.eqz (local.get $grid)))
        (br_if $residuals (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $res) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r (i64.sub (i64.sub (i64.load (local.get $at)) (local.get $t0))
          (i64.mul (i64.extend_i32_u (local.get $i)) (local.get $step))))
        (if (i64.gt_u (i64.add (local.get $r) (i64.const 0x4000000000000)) (i64.const 0x8000000000000))
          (then (local.set $grid (i32.const 0))))
        (i64.store (local.get $at) (local.get $r))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (if (local.get $grid)
      (then
        (local.set $gridBits (i32.add (call $choose (local.get $gridPlan) (local.get $res) (i32.const 1) (i32.sub (local.get $n) (i32.const 1)))
          (i32.sub (call $signedVarintBits (local.get $step)) (i32.const 1))))
        (local.set $dodBits (i32.add (call $choose (local.get $tsDodPlan) (local.get $tsDod) (i32.const 2) (i32.sub (local.get $n) (i32.const 2)))
          (i32.sub (call $signedVarintBits (i64.sub (local.get $t1) (local.get $t0))) (i32.const 1))))
        (local.set $grid (i32.lt_s (local.get $gridBits) (local.get $dodBits)))))
    (local.set $tsPlan (select (local.get $gridPlan) (local.get $tsDodPlan) (local.get $grid)))

    (global.set $out (local.get $start))
    (global.set $acc (i64.const 0))
    (global.set $nacc (i32.const 0))
    (call $put (i64.const 2) (i32.const 8))
    (call $uvarint (i64.extend_i32_u (local.get $n)))
    (if (local.get $n)
      (then
        (call $uvarint (local.get $t0))
        (call $put (i64.extend_i32_u (local.get $scale)) (i32.const 5))
        (call $signedVarint (i64.load (local.get $m)))))
    (if (i32.ge_u (local.get $n) (i32.const 2))
      (then
        (call $put (i64.extend_i32_u (local.get $grid)) (i32.const 1))
        (call $uvarint (select (local.get $step) (i64.sub (local.get $t1) (local.get $t0)) (local.get $grid)))
        (drop (call $choose (local.get $deltaPlan) (local.get $delta) (i32.const 1) (i32.sub (local.get $n) (i32.const 1))))
        (drop (call $choose (local.get $dodPlan) (local.get $dod) (i32.const 2) (i32.sub (local.get $n) (i32.const 2))))
        (local.set $byDod (i32.lt_s
          (i32.add (i32.load offset=20 (local.get $dodPlan)) (call $signedVarintBits (i64.load offset=8 (local.get $delta))))
          (i32.load offset=20 (local.get $deltaPlan))))
        (call $put (i64.extend_i32_u (local.get $byDod)) (i32.const 1))
        (if (local.get $byDod)
          (then
            (call $signedVarint (i64.load offset=8 (local.get $delta)))
            (call $header (local.get $dodPlan)))
          (else (call $header (local.get $deltaPlan))))))
    (if (local.get $grid)
      (then (call $header (local.get $tsPlan)))
      (else
        (if (i32.ge_u (local.get $n) (i32.const 3))
          (then
            (drop (call $choose (local.get $tsPlan) (local.get $tsDod) (i32.const 2) (i32.sub (local.get $n) (i32.const 2))))
            (call $header (local.get $tsPlan))))))
    (local.set $valuePlan (select (local.get $dodPlan) (local.get $deltaPlan) (local.get $byDod)))
    (local.set $i (i32.const 1))
    (block $samples
      (loop $each
        (br_if $samples (i32.ge_u (local.get $i) (local.get $n)))
        (if (local.get $grid)
          (then (call $write (local.get $tsPlan) (i64.load (i32.add (local.get $res) (i32.shl (local.get $i) (i32.const 3))))))
          (else
            (if (i32.ge_u (local.get $i) (i32.const 2))
              (then (call $write (local.get $tsPlan) (i64.load (i32.add (local.get $tsDod) (i32.shl (local.get $i) (i32.const 3)))))))))
        (if (i32.eqz (local.get $byDod))
          (then (call $write (local.get $deltaPlan) (i64.load (i32.add (local.get $delta) (i32.shl (local.get $i) (i32.const 3))))))
          (else
            (if (i32.ge_u (local.get $i) (i32.const 2))
              (then (call $write (local.get $dodPlan) (i64.load (i32.add (local.get $dod) (i32.shl (local.get $i) (i32.const 3)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    ;; the last byte, zero-padded
    (if (global.get $nacc)
      (then (call $put (i64.const 0) (i32.sub (i32.const 8) (global.get $nacc)))))
    (i32.sub (global.get $out) (local.get $start))))
