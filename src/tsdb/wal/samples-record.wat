;; Encoding a WAL samples record (the format of record.ts, byte for byte) from three columns of
;; doubles: refs, timestamps, values. 64-bit integers are native here, where JS works the varints
;; out with floating-point division. Anything unusual — a value that is not an integer in range, a
;; timestamp delta of 2^53 or more — is left to the JS encoder, which also gives the error.
;;
;; Source of samples-record-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
(module
  (memory (export "memory") 1)

  ;; Where the next byte goes.
  (global $out (mut i32) (i32.const 0))

  ;; An unsigned LEB128 varint.
  (func $uvarint (param $v i64)
    (local $p i32)
    (local.set $p (global.get $out))
    (block $last
      (loop $group
        (br_if $last (i64.lt_u (local.get $v) (i64.const 0x80)))
        (i32.store8 (local.get $p) (i32.or (i32.wrap_i64 (local.get $v)) (i32.const 0x80)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $v (i64.shr_u (local.get $v) (i64.const 7)))
        (br $group)))
    (i32.store8 (local.get $p) (i32.wrap_i64 (local.get $v)))
    (global.set $out (i32.add (local.get $p) (i32.const 1))))

  ;; A signed varint as sign and magnitude: bit 0 of the first byte the sign, then 6 magnitude bits
  ;; and a "more" bit, then the rest of the magnitude as a uvarint.
  (func $varint (param $v i64)
    (local $sign i32) (local $p i32)
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then
        (local.set $sign (i32.const 1))
        (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (local.set $p (global.get $out))
    (if (i64.lt_u (local.get $v) (i64.const 0x40))
      (then
        (i32.store8 (local.get $p) (i32.or (i32.shl (i32.wrap_i64 (local.get $v)) (i32.const 1)) (local.get $sign)))
        (global.set $out (i32.add (local.get $p) (i32.const 1)))
        (return)))
    (i32.store8 (local.get $p)
      (i32.or (i32.or (i32.const 0x80) (i32.shl (i32.and (i32.wrap_i64 (local.get $v)) (i32.const 0x3f)) (i32.const 1)))
              (local.get $sign)))
    (global.set $out (i32.add (local.get $p) (i32.const 1)))
    (call $uvarint (i64.shr_u (local.get $v) (i64.const 6))))

;; Encodes samples 0..n-1 of the columns at 0 (refs), 8n (timestamps) and 16n (values) to `out`;
  ;; returns the record's length, or -1 to leave it to the JS encoder. The per-sample work is written
  ;; out in the loop: V8 does not inline calls between WebAssembly functions, and a call per varint
  ;; cost as much as the rest.
  (func (export "encode") (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $ts i32) (local $p i32) (local $x f64) (local $ref0 i64) (local $t0 i64)
    (local $v i64) (local $sign i32) (local $k i32)
    (local.set $ts (i32.shl (local.get $n) (i32.const 3)))
    (i32.store8 (local.get $out) (i32.const 2))
    (i32.store8 offset=1 (local.get $out) (i32.const 0))
    (global.set $out (i32.add (local.get $out) (i32.const 2)))
    (call $uvarint (i64.extend_i32_u (local.get $n)))
    (if (i32.eqz (local.get $n)) (then (return (i32.sub (global.get $out) (local.get $out)))))
    ;; the first sample's ref and timestamp as they are
    (local.set $x (f64.load (i32.const 0)))
    (if (i32.or (f64.ne (f64.trunc (local.get $x)) (local.get $x))
                (i32.or (f64.lt (local.get $x) (f64.const 0)) (f64.gt (local.get $x) (f64.const 9007199254740992))))
      (then (return (i32.const -1))))
    (local.set $ref0 (i64.trunc_f64_s (local.get $x)))
    (local.set $x (f64.load (local.get $ts)))
    (if (i32.or (f64.ne (f64.trunc (local.get $x)) (local.get $x))
                (f64.gt (f64.abs (local.get $x)) (f64.const 9007199254740992)))
      (then (return (i32.const -1))))
    (local.set $t0 (i64.trunc_f64_s (local.get $x)))
    (call $uvarint (local.get $ref0))
    (call $varint (local.get $t0))
    ;; the values' bytes as they are
    (memory.copy (global.get $out) (i32.shl (local.get $ts) (i32.const 1)) (local.get $ts))
    (local.set $p (i32.add (global.get $out) (local.get $ts)))
    ;; then each later sample: its ref, then its timestamp, as deltas to the first's
    (local.set $i (i32.const 8))
    (block $done
      (loop $sample
        (br_if $done (i32.ge_u (local.get $i) (local.get $ts)))
        (local.set $k (i32.const 0))
        (loop $field
          (if (i32.eqz (local.get $k))
            (then
              (local.set $x (f64.load (local.get $i)))
              (if (i32.or (f64.ne (f64.trunc (local.get $x)) (local.get $x))
                          (i32.or (f64.lt (local.get $x) (f64.const 0))
                                  (f64.gt (local.get $x) (f64.const 9007199254740992))))
                (then (return (i32.const -1))))
              (local.set $v (i64.sub (i64.trunc_f64_s (local.get $x)) (local.get $ref0))))
            (else
              (local.set $x (f64.load (i32.add (local.get $ts) (local.get $i))))
              (if (i32.or (f64.ne (f64.trunc (local.get $x)) (local.get $x))
                          (f64.gt (f64.abs (local.get $x)) (f64.const 9007199254740992)))
                (then (return (i32.const -1))))
              (local.set $v (i64.sub (i64.trunc_f64_s (local.get $x)) (local.get $t0)))
              ;; a delta of 2^53 or more: the JS encoder writes absolute timestamps instead
              (if (i64.ge_u (i64.add (local.get $v) (i64.const 0x1fffffffffffff)) (i64.const 0x3fffffffffffff))
                (then (return (i32.const -1))))))
          ;; $varint of $v
          (local.set $sign (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 63))))
          (if (local.get $sign) (then (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
          (if (i64.lt_u (local.get $v) (i64.const 0x40))
            (then
              (i32.store8 (local.get $p) (i32.or (i32.shl (i32.wrap_i64 (local.get $v)) (i32.const 1)) (local.get $sign)))
              (local.set $p (i32.add (local.get $p) (i32.const 1))))
            (else
              (i32.store8 (local.get $p)
                (i32.or (i32.or (i32.const 0x80)
                                (i32.shl (i32.and (i32.wrap_i64 (local.get $v)) (i32.const 0x3f)) (i32.const 1)))
                        (local.get $sign)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $v (i64.shr_u (local.get $v) (i64.const 6)))
              (block $last
                (loop $group
                  (br_if $last (i64.lt_u (local.get $v) (i64.const 0x80)))
                  (i32.store8 (local.get $p) (i32.or (i32.wrap_i64 (local.get $v)) (i32.const 0x80)))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $v (i64.shr_u (local.get $v) (i64.const 7)))
                  (br $group)))
              (i32.store8 (local.get $p) (i32.wrap_i64 (local.get $v)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $field (i32.lt_u (local.get $k) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $sample)))
    (i32.sub (local.get $p) (local.get $out))))
