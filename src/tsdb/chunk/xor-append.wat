;; Appending to the head's open XOR chunks (the format of xor-chunk.ts, bit for bit), with each
;; chunk's state and bytes in this module's memory: 64-bit values and shifts are native here, where
;; JS splits every value into two 32-bit halves. open-chunk-memory.ts allocates the records and the
;; byte regions and grows a region when `append` asks for room; open-xor-chunk.ts is the JS face.
;;
;; Source of xor-append-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
;;
;; A chunk's state record (64 bytes, 8-aligned):
;;    0 i32 base      where the chunk's bytes start (tag, 16-bit count, bit stream)
;;    4 i32 cap       the region's size in bytes
;;    8 i32 bits      bits written so far (the header's 24 included)
;;   12 i32 n         samples
;;   16 f64 firstT
;;   24 f64 lastT
;;   32 i64 tDelta    the previous timestamp delta
;;   40 i64 value     the previous value's bits
;;   48 i32 leading   the XOR window's leading zeros, 255 while there is none
;;   52 i32 trailing
;;   56 i64 acc       the bits of the stream's 64-bit word that holds bit `bits`, from the top; the
;;                    region has every full word before it (big-endian), and this one after `flush`
;; The record is zeroed when handed out, and bits past `bits` are zero in `acc`. The region is only
;; ever stored to, a whole word at a time, so it may start with any bytes.
(module
  (memory (export "memory") 1)

  ;; Writes the low `nb` (1-64) bits of `v` (which has no higher bits set) after the chunk's last
  ;; bit. They go into the record's word `acc` (the stream's current 64 bits); a word is stored to the
  ;; region only when it is full, so a sample touches the record and not, with a read, the region's
  ;; tail — which, with thousands of series, is rarely in the CPU's cache.
  (func $put (param $s i32) (param $v i64) (param $nb i32)
    (local $p i32) (local $rem i32) (local $acc i64)
    (local.set $p (i32.load offset=8 (local.get $s)))
    (i32.store offset=8 (local.get $s) (i32.add (local.get $p) (local.get $nb)))
    ;; bits still free in the word after these: > 0, = 0 (the word is full) or < 0 (it overflows)
    (local.set $rem (i32.sub (i32.sub (i32.const 64) (i32.and (local.get $p) (i32.const 63))) (local.get $nb)))
    (local.set $acc (i64.load offset=56 (local.get $s)))
    (if (i32.gt_s (local.get $rem) (i32.const 0))
      (then
        (i64.store offset=56 (local.get $s)
          (i64.or (local.get $acc) (i64.shl (local.get $v) (i64.extend_i32_u (local.get $rem)))))
        (return)))
    (local.set $rem (i32.sub (i32.const 0) (local.get $rem)))
    (call $storeWord (local.get $s) (local.get $p)
      (i64.or (local.get $acc) (i64.shr_u (local.get $v) (i64.extend_i32_u (local.get $rem)))))
    ;; the bits that did not fit start the next word (none when it was exactly full)
    (i64.store offset=56 (local.get $s)
      (select (i64.const 0)
        (i64.shl (local.get $v) (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $rem))))
        (i32.eqz (local.get $rem)))))

  ;; Stores `w` as the big-endian word of the region holding bit `p`.
  (func $storeWord (param $s i32) (param $p i32) (param $w i64)
    (v128.store64_lane 0
      (i32.add (i32.load (local.get $s)) (i32.shl (i32.shr_u (local.get $p) (i32.const 6)) (i32.const 3)))
      (i8x16.swizzle (i64x2.splat (local.get $w))
        (v128.const i8x16 7 6 5 4 3 2 1 0 15 14 13 12 11 10 9 8))))

  ;; Stores the record's unfinished word to the region, so that its bytes hold every bit written
  ;; (for readers of the region; appends go on in the word).
  (func (export "flush") (param $s i32)
    (local $p i32)
    (local.set $p (i32.load offset=8 (local.get $s)))
    (if (i32.and (local.get $p) (i32.const 63))
      (then (call $storeWord (local.get $s) (local.get $p) (i64.load offset=56 (local.get $s))))))

  ;; A non-negative integer in 7-bit groups, low first, each in 8 bits with the top bit meaning "more".
  (func $uvarint (param $s i32) (param $v i64)
    (block $last
      (loop $group
        (br_if $last (i64.lt_u (local.get $v) (i64.const 0x80)))
        (call $put (local.get $s) (i64.or (i64.and (local.get $v) (i64.const 0x7f)) (i64.const 0x80)) (i32.const 8))
        (local.set $v (i64.shr_u (local.get $v) (i64.const 7)))
        (br $group)))
    (call $put (local.get $s) (local.get $v) (i32.const 8)))

  ;; Appends (t, the value whose bits are hi:lo) to the chunk whose state is at `s`, unless the chunk
  ;; is to be sealed first: it holds `max` samples (at most 65535) or t is at or past `limit` (the
  ;; end of its block range). Returns 0, or, having written nothing,
  ;; 1: no room for a sample's worst case (24 bytes) left in the region (grow it and call again);
  ;; 2: t is not an integer in [0, 2^53); 3: the chunk holds `max` samples; 4: t is not after the
  ;; last timestamp; 5: t ≥ limit.
  ;;
  ;; After the first sample: the timestamp's delta (second sample) or delta of deltas in the smallest
  ;; bucket — '0'; '10'+14 bits; '110'+17; '1110'+20; '1111'+64 — then the value XORed with the
  ;; previous one: '0' when equal; '10' and the bits inside the previous window when they fit it;
  ;; else '11', the leading zeros (5 bits, at most 31), the count of significant bits (6 bits, 64
  ;; written as 0) and those bits. The usual sample's fields are put as one: V8 does not inline calls
  ;; between WebAssembly functions, and a call per field cost as much as the work.
  (func (export "append") (param $s i32) (param $t f64) (param $hi i32) (param $lo i32)
                          (param $max i32) (param $limit f64) (result i32)
    (local $n i32) (local $ti i64) (local $v i64) (local $delta i64) (local $dod i64) (local $x i64)
    (local $v1 i64) (local $nb1 i32) (local $head i64) (local $nbHead i32) (local $sig i64) (local $nbSig i32)
    (local $leading i32) (local $trailing i32) (local $window i32)
    (local $nb i32) (local $bits i64) (local $p i32) (local $rem i32) (local $acc i64)
    (if (i32.or (f64.ne (local.get $t) (f64.trunc (local.get $t)))
                (i32.or (f64.lt (local.get $t) (f64.const 0))
                        (f64.gt (local.get $t) (f64.const 9007199254740991))))
      (then (return (i32.const 2))))
    (local.set $n (i32.load offset=12 (local.get $s)))
    (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const 3))))
    (if (f64.ge (local.get $t) (local.get $limit)) (then (return (i32.const 5))))
    (if (i32.and (i32.ne (local.get $n) (i32.const 0)) (f64.le (local.get $t) (f64.load offset=24 (local.get $s))))
      (then (return (i32.const 4))))
    (if (i32.lt_u
          (i32.sub (i32.shl (i32.load offset=4 (local.get $s)) (i32.const 3)) (i32.load offset=8 (local.get $s)))
          (i32.const 192))
      (then (return (i32.const 1))))
    (local.set $ti (i64.trunc_f64_s (local.get $t)))
    (local.set $v (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 32)) (i64.extend_i32_u (local.get $lo))))
    (if (i32.eqz (local.get $n))
      (then
        (call $uvarint (local.get $s) (local.get $ti))
        (call $put (local.get $s) (local.get $v) (i32.const 64))
        (f64.store offset=16 (local.get $s) (local.get $t)))
      (else
        (local.set $delta (i64.sub (local.get $ti) (i64.trunc_f64_s (f64.load offset=24 (local.get $s)))))
        ;; The value's fields: a head ('0', '10', or '11' with the new window) and the significant bits.
        (local.set $x (i64.xor (local.get $v) (i64.load offset=40 (local.get $s))))
        (if (i64.eqz (local.get $x))
          (then (local.set $nbHead (i32.const 1)))
          (else
            (local.set $leading (i32.wrap_i64 (i64.clz (local.get $x))))
            (if (i32.gt_u (local.get $leading) (i32.const 31)) (then (local.set $leading (i32.const 31))))
            (local.set $trailing (i32.wrap_i64 (i64.ctz (local.get $x))))
            (local.set $window (i32.load offset=48 (local.get $s)))
            (if (i32.and (i32.ne (local.get $window) (i32.const 255))
                         (i32.and (i32.ge_u (local.get $leading) (local.get $window))
                                  (i32.ge_u (local.get $trailing) (i32.load offset=52 (local.get $s)))))
              (then
                (local.set $head (i64.const 2))
                (local.set $nbHead (i32.const 2))
                (local.set $trailing (i32.load offset=52 (local.get $s)))
                (local.set $nbSig (i32.sub (i32.sub (i32.const 64) (local.get $window)) (local.get $trailing))))
              (else
                (i32.store offset=48 (local.get $s) (local.get $leading))
                (i32.store offset=52 (local.get $s) (local.get $trailing))
                (local.set $nbSig (i32.sub (i32.sub (i32.const 64) (local.get $leading)) (local.get $trailing)))
                (local.set $head (i64.extend_i32_u
                  (i32.or (i32.or (i32.const 0x1800) (i32.shl (local.get $leading) (i32.const 6)))
                          (i32.and (local.get $nbSig) (i32.const 63)))))
                (local.set $nbHead (i32.const 13))))
            (local.set $sig (i64.shr_u (local.get $x) (i64.extend_i32_u (local.get $trailing))))))
        ;; The timestamp's field: the delta of the second sample, the delta of deltas' bucket after it
        ;; ($nb1 stays 0 for the 64-bit bucket and the second sample, which are put on their own).
        (if (i32.ne (local.get $n) (i32.const 1))
          (then
            (local.set $dod (i64.sub (local.get $delta) (i64.load offset=32 (local.get $s))))
            (if (i64.eqz (local.get $dod))
              (then (local.set $nb1 (i32.const 1)))
              (else (if (i64.lt_u (i64.add (local.get $dod) (i64.const 0x2000)) (i64.const 0x4000))
                (then
                  (local.set $v1 (i64.or (i64.const 0x8000) (i64.and (local.get $dod) (i64.const 0x3fff))))
                  (local.set $nb1 (i32.const 16)))
                (else (if (i64.lt_u (i64.add (local.get $dod) (i64.const 0x10000)) (i64.const 0x20000))
                  (then
                    (local.set $v1 (i64.or (i64.const 0xc0000) (i64.and (local.get $dod) (i64.const 0x1ffff))))
                    (local.set $nb1 (i32.const 20)))
                  (else (if (i64.lt_u (i64.add (local.get $dod) (i64.const 0x80000)) (i64.const 0x100000))
                    (then
                      (local.set $v1 (i64.or (i64.const 0xe00000) (i64.and (local.get $dod) (i64.const 0xfffff))))
                      (local.set $nb1 (i32.const 24))))))))))))
        (if (i32.and (i32.ne (local.get $nb1) (i32.const 0))
                     (i32.le_u (i32.add (i32.add (local.get $nb1) (local.get $nbHead)) (local.get $nbSig)) (i32.const 64)))
          (then
            ;; the usual sample: all three as one field (none is 64 bits here, so no shift is by 64),
            ;; put as $put does, written out here (the call costs a tenth of the append)
            (local.set $nb (i32.add (i32.add (local.get $nb1) (local.get $nbHead)) (local.get $nbSig)))
            (local.set $bits (i64.or (i64.or
              (i64.shl (local.get $v1) (i64.extend_i32_u (i32.add (local.get $nbHead) (local.get $nbSig))))
              (i64.shl (local.get $head) (i64.extend_i32_u (local.get $nbSig))))
              (local.get $sig)))
            (local.set $p (i32.load offset=8 (local.get $s)))
            (i32.store offset=8 (local.get $s) (i32.add (local.get $p) (local.get $nb)))
            (local.set $rem (i32.sub (i32.sub (i32.const 64) (i32.and (local.get $p) (i32.const 63))) (local.get $nb)))
            (local.set $acc (i64.load offset=56 (local.get $s)))
            (if (i32.gt_s (local.get $rem) (i32.const 0))
              (then
                (i64.store offset=56 (local.get $s)
                  (i64.or (local.get $acc) (i64.shl (local.get $bits) (i64.extend_i32_u (local.get $rem))))))
              (else
                (local.set $rem (i32.sub (i32.const 0) (local.get $rem)))
                (v128.store64_lane 0
                  (i32.add (i32.load (local.get $s)) (i32.shl (i32.shr_u (local.get $p) (i32.const 6)) (i32.const 3)))
                  (i8x16.swizzle
                    (i64x2.splat (i64.or (local.get $acc) (i64.shr_u (local.get $bits) (i64.extend_i32_u (local.get $rem)))))
                    (v128.const i8x16 7 6 5 4 3 2 1 0 15 14 13 12 11 10 9 8)))
                (i64.store offset=56 (local.get $s)
                  (select (i64.const 0)
                    (i64.shl (local.get $bits) (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $rem))))
                    (i32.eqz (local.get $rem)))))))
          (else
            (if (i32.eq (local.get $n) (i32.const 1))
              (then (call $uvarint (local.get $s) (local.get $delta)))
              (else
                (if (local.get $nb1)
                  (then (call $put (local.get $s) (local.get $v1) (local.get $nb1)))
                  (else
                    (call $put (local.get $s) (i64.const 0xf) (i32.const 4))
                    (call $put (local.get $s) (local.get $dod) (i32.const 64))))))
            (call $put (local.get $s) (local.get $head) (local.get $nbHead))
            (if (local.get $nbSig) (then (call $put (local.get $s) (local.get $sig) (local.get $nbSig))))))
        (i64.store offset=32 (local.get $s) (local.get $delta))))
    (i64.store offset=40 (local.get $s) (local.get $v))
    (f64.store offset=24 (local.get $s) (local.get $t))
    (i32.store offset=12 (local.get $s) (i32.add (local.get $n) (i32.const 1)))
    (i32.const 0)))
