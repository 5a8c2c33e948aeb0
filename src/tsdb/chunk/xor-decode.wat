;; Decoding a whole XOR chunk (the format of xor-chunk.ts) into timestamp and value columns, for the
;; recode that weighs each sealed chunk's decimal encoding (head/recode.ts): the JS iterator took a
;; quarter of that work. xor-decode.ts copies the chunk into this memory and reads the columns; on
;; any inconsistency it answers -1 and leaves the chunk to the JS iterator, which says what is wrong.
;; The bit reads are written out where they happen: as calls with the reader in globals, the
;; decoder was only 1.5 times the JS iterator's speed.
;;
;; Source of xor-decode-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
(module
  (memory (export "memory") 1)

  ;; Loads bytes into the reader's accumulator until it holds more than 56 bits (bits already read
  ;; shift out at the top; the ones not read yet never do).
  (func $refill (param $acc i64) (param $nb i32) (param $p i32) (result i64 i32 i32)
    (block $full
      (loop $more
        (br_if $full (i32.gt_u (local.get $nb) (i32.const 56)))
        (local.set $acc (i64.or (i64.shl (local.get $acc) (i64.const 8)) (i64.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $nb (i32.add (local.get $nb) (i32.const 8)))
        (br $more)))
    (local.get $acc) (local.get $nb) (local.get $p))

  ;; An unsigned varint of at most 8 groups of 7 bits (-1: truncated, too long, beyond 2^53 - 1),
  ;; and the reader's state after it.
  (func $uvarint (param $acc i64) (param $nb i32) (param $p i32) (param $left i32) (result i64 i64 i32 i32 i32)
    (local $r i64) (local $b i64) (local $i i32)
    (block $bad
      (loop $group
        (if (i32.gt_u (i32.const 8) (local.get $left)) (then (br $bad)))
        (local.set $left (i32.sub (local.get $left) (i32.const 8)))
        (if (i32.lt_u (local.get $nb) (i32.const 8))
          (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
        (local.set $nb (i32.sub (local.get $nb) (i32.const 8)))
        (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 255)))
        (local.set $r (i64.or (local.get $r)
          (i64.shl (i64.and (local.get $b) (i64.const 0x7f)) (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 7))))))
        (if (i64.eqz (i64.and (local.get $b) (i64.const 0x80)))
          (then
            (br_if $bad (i64.gt_u (local.get $r) (i64.const 0x1fffffffffffff)))
            (return (local.get $r) (local.get $acc) (local.get $nb) (local.get $p) (local.get $left))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $group (i32.lt_u (local.get $i) (i32.const 8)))))
    (i64.const -1) (local.get $acc) (local.get $nb) (local.get $p) (local.get $left))

  ;; Decodes the chunk at mem[at, at + len) into f64 columns at `ts` and `vs` (room for its count);
  ;; returns the number of samples, or -1 when the chunk is inconsistent. The caller leaves 8 bytes
  ;; of room after the chunk: the reader loads up to 7 bytes past it (and never uses their bits).
  (func (export "decode") (param $at i32) (param $len i32) (param $ts i32) (param $vs i32) (result i32)
    (local $n i32) (local $i i32) (local $t i64) (local $delta i64) (local $dod i64) (local $b i64)
    (local $ones i32) (local $w i32) (local $v i64) (local $leading i32) (local $trailing i32)
    (local $sig i32) (local $x i64)
    ;; the bit reader: the next bit is bit `$nb - 1` of `$acc`, the next byte at `$p`; `$left` bits remain
    (local $acc i64) (local $nb i32) (local $p i32) (local $left i32)
    (if (i32.lt_u (local.get $len) (i32.const 3)) (then (return (i32.const -1))))
    (local.set $n (i32.or (i32.shl (i32.load8_u offset=1 (local.get $at)) (i32.const 8))
                          (i32.load8_u offset=2 (local.get $at))))
    (local.set $p (i32.add (local.get $at) (i32.const 3)))
    (local.set $left (i32.shl (i32.sub (local.get $len) (i32.const 3)) (i32.const 3)))
    (local.set $leading (i32.const 255))
    (block $done
      (loop $sample
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.le_u (local.get $i) (i32.const 1))
          (then
            ;; sample 0: its timestamp and value bits; sample 1: its timestamp delta (varints)
            (call $uvarint (local.get $acc) (local.get $nb) (local.get $p) (local.get $left))
            (local.set $left) (local.set $p) (local.set $nb) (local.set $acc) (local.set $x)
            (if (i64.lt_s (local.get $x) (i64.const 0)) (then (return (i32.const -1))))
            (if (i32.eqz (local.get $i))
              (then
                (local.set $t (local.get $x))
                (if (i32.gt_u (i32.const 32) (local.get $left)) (then (return (i32.const -1))))
                (local.set $left (i32.sub (local.get $left) (i32.const 32)))
                (if (i32.lt_u (local.get $nb) (i32.const 32))
                  (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                (local.set $nb (i32.sub (local.get $nb) (i32.const 32)))
                (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 4294967295)))
                (if (i32.gt_u (i32.const 32) (local.get $left)) (then (return (i32.const -1))))
                (local.set $left (i32.sub (local.get $left) (i32.const 32)))
                (if (i32.lt_u (local.get $nb) (i32.const 32))
                  (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                (local.set $nb (i32.sub (local.get $nb) (i32.const 32)))
                (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 4294967295)))
                (local.set $v (i64.or (i64.shl (local.get $b) (i64.const 32)) (local.get $x))))
              (else (local.set $delta (local.get $x)))))
          (else
            ;; delta of delta: 0, or a prefix 10 / 110 / 1110 and 14 / 17 / 20 bits (two's
            ;; complement), or 1111 and 64 bits
            (if (i32.gt_u (i32.const 1) (local.get $left)) (then (return (i32.const -1))))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))
            (if (i32.lt_u (local.get $nb) (i32.const 1))
              (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
            (local.set $nb (i32.sub (local.get $nb) (i32.const 1)))
            (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 1)))
            (if (i64.ne (local.get $b) (i64.const 0))
              (then
                (local.set $ones (i32.const 1))
                (block $prefix
                  (loop $one
                    (br_if $prefix (i32.ge_u (local.get $ones) (i32.const 4)))
                    (if (i32.gt_u (i32.const 1) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 1)))
                    (if (i32.lt_u (local.get $nb) (i32.const 1))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 1)))
                    (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 1)))
                    (br_if $prefix (i64.eqz (local.get $b)))
                    (local.set $ones (i32.add (local.get $ones) (i32.const 1)))
                    (br $one)))
                (if (i32.eq (local.get $ones) (i32.const 4))
                  (then
                    (if (i32.gt_u (i32.const 32) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 32)))
                    (if (i32.lt_u (local.get $nb) (i32.const 32))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 32)))
                    (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 4294967295)))
                    (if (i32.gt_u (i32.const 32) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 32)))
                    (if (i32.lt_u (local.get $nb) (i32.const 32))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 32)))
                    (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 4294967295)))
                    (local.set $dod (i64.or (i64.shl (local.get $b) (i64.const 32)) (local.get $x))))
                  (else
                    (local.set $w (i32.add (i32.const 11) (i32.mul (local.get $ones) (i32.const 3))))
                    (if (i32.gt_u (local.get $w) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (local.get $w)))
                    (if (i32.lt_u (local.get $nb) (local.get $w))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (local.get $w)))
                    (local.set $dod (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $w))) (i64.const 1))))
                    (if (i64.ge_u (local.get $dod)
                                  (i64.shl (i64.const 1) (i64.extend_i32_u (i32.sub (local.get $w) (i32.const 1)))))
                      (then (local.set $dod (i64.sub (local.get $dod)
                                                     (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $w)))))))))
                (local.set $delta (i64.add (local.get $delta) (local.get $dod)))))))
        (if (i32.ne (local.get $i) (i32.const 0))
          (then
            ;; timestamps increase and stay safe integers
            (if (i64.le_s (local.get $delta) (i64.const 0)) (then (return (i32.const -1))))
            (local.set $t (i64.add (local.get $t) (local.get $delta)))
            (if (i64.gt_u (local.get $t) (i64.const 0x1fffffffffffff)) (then (return (i32.const -1))))
            ;; the value: 0 unchanged; 11 a new window (5 bits leading zeros, 6 bits length), 10 the
            ;; window before
            (if (i32.gt_u (i32.const 1) (local.get $left)) (then (return (i32.const -1))))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))
            (if (i32.lt_u (local.get $nb) (i32.const 1))
              (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
            (local.set $nb (i32.sub (local.get $nb) (i32.const 1)))
            (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 1)))
            (if (i64.ne (local.get $b) (i64.const 0))
              (then
                (if (i32.gt_u (i32.const 1) (local.get $left)) (then (return (i32.const -1))))
                (local.set $left (i32.sub (local.get $left) (i32.const 1)))
                (if (i32.lt_u (local.get $nb) (i32.const 1))
                  (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                (local.set $nb (i32.sub (local.get $nb) (i32.const 1)))
                (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 1)))
                (if (i64.ne (local.get $b) (i64.const 0))
                  (then
                    (if (i32.gt_u (i32.const 5) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 5)))
                    (if (i32.lt_u (local.get $nb) (i32.const 5))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 5)))
                    (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 31)))
                    (local.set $leading (i32.wrap_i64 (local.get $x)))
                    (if (i32.gt_u (i32.const 6) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 6)))
                    (if (i32.lt_u (local.get $nb) (i32.const 6))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 6)))
                    (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 63)))
                    (local.set $sig (i32.wrap_i64 (local.get $x)))
                    (if (i32.eqz (local.get $sig)) (then (local.set $sig (i32.const 64))))
                    (if (i32.gt_u (i32.add (local.get $leading) (local.get $sig)) (i32.const 64))
                      (then (return (i32.const -1))))
                    (local.set $trailing (i32.sub (i32.sub (i32.const 64) (local.get $leading)) (local.get $sig))))
                  (else
                    (if (i32.eq (local.get $leading) (i32.const 255)) (then (return (i32.const -1))))))
                (local.set $sig (i32.sub (i32.sub (i32.const 64) (local.get $leading)) (local.get $trailing)))
                (if (i32.gt_u (local.get $sig) (i32.const 32))
                  (then
                    (local.set $w (i32.sub (local.get $sig) (i32.const 32)))
                    (if (i32.gt_u (local.get $w) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (local.get $w)))
                    (if (i32.lt_u (local.get $nb) (local.get $w))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (local.get $w)))
                    (local.set $b (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $w))) (i64.const 1))))
                    (if (i32.gt_u (i32.const 32) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (i32.const 32)))
                    (if (i32.lt_u (local.get $nb) (i32.const 32))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (i32.const 32)))
                    (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.const 4294967295)))
                    (local.set $x (i64.or (i64.shl (local.get $b) (i64.const 32)) (local.get $x))))
                  (else
                    (if (i32.gt_u (local.get $sig) (local.get $left)) (then (return (i32.const -1))))
                    (local.set $left (i32.sub (local.get $left) (local.get $sig)))
                    (if (i32.lt_u (local.get $nb) (local.get $sig))
                      (then (call $refill (local.get $acc) (local.get $nb) (local.get $p)) (local.set $p) (local.set $nb) (local.set $acc)))
                    (local.set $nb (i32.sub (local.get $nb) (local.get $sig)))
                    (local.set $x (i64.and (i64.shr_u (local.get $acc) (i64.extend_i32_u (local.get $nb))) (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $sig))) (i64.const 1))))))
                (local.set $v (i64.xor (local.get $v)
                                       (i64.shl (local.get $x) (i64.extend_i32_u (local.get $trailing)))))))))
        (f64.store (i32.add (local.get $ts) (i32.shl (local.get $i) (i32.const 3))) (f64.convert_i64_s (local.get $t)))
        (i64.store (i32.add (local.get $vs) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sample)))
    (local.get $n))
)
