;; Comparing byte strings in one memory, 16 bytes at a time: ByteKeyTable keeps its keys here and
;; copies the bytes it is asked about beside them (see byte-key-table.ts).
;;
;; Source of byte-compare-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
(module
  (memory (export "memory") 1)

  ;; 1 when memory[a, a + n) and memory[b, b + n) hold the same bytes, else 0.
  (func (export "same") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (local.get $n)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
        (br_if $tail (i32.eqz (i8x16.all_true
          (i8x16.eq (v128.load (local.get $a)) (v128.load (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $wide)))
    ;; the last bytes (or the 16 that differ), one at a time
    (block $done
      (loop $bytes
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b)))
          (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bytes)))
    (i32.const 1)))
