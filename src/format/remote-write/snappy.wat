;; Snappy block decoder (the format of github.com/google/snappy's format_description.txt), checking
;; every element as it copies it. snappy.ts puts the block and room for the output in this memory,
;; calls `decompress`, and turns a negative answer into an error message.
;;
;; Source of snappy-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
;;
;; Short literals and copies whose source lies 8 or more bytes back go 8 bytes at a time. That may
;; read up to 7 bytes past the element and write up to 7 bytes past its end, so the caller leaves
;; 8 spare bytes after the output; what is written past the element is overwritten by the next one.
;; A copy whose source lies 1-7 bytes back repeats those bytes, so it goes byte by byte.
(module
  (memory (export "memory") 1)

  ;; Decodes mem[in, in + n) (preamble included, already read by the caller) into
  ;; mem[out, out + total). Returns the number of bytes produced (total when the block is whole), or:
  ;; -1 literal length truncated, -2 literal past the end of the block, -3 output longer than total,
  ;; -4 copy truncated, -5 copy offset outside the bytes produced so far.
  (func (export "decompress") (param $in i32) (param $n i32) (param $out i32) (param $total i32) (result i32)
    (local $pos i32) (local $end i32) (local $o i32) (local $oend i32)
    (local $tag i32) (local $len i32) (local $off i32) (local $i i32) (local $from i32)
    (local.set $pos (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $n)))
    (local.set $o (local.get $out))
    (local.set $oend (i32.add (local.get $out) (local.get $total)))
    ;; the preamble: a varint, its last byte below 0x80
    (block $preamble
      (loop $skip
        (br_if $preamble (i32.ge_u (local.get $pos) (local.get $end)))
        (local.set $tag (i32.load8_u (local.get $pos)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (br_if $skip (i32.ge_u (local.get $tag) (i32.const 0x80)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
        (local.set $tag (i32.load8_u (local.get $pos)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))

        (if (i32.eqz (i32.and (local.get $tag) (i32.const 3)))
          (then
            ;; literal: its length - 1 in the tag, or in the 1-4 little-endian bytes after it
            (local.set $len (i32.shr_u (local.get $tag) (i32.const 2)))
            (if (i32.ge_u (local.get $len) (i32.const 60))
              (then
                (local.set $i (i32.sub (local.get $len) (i32.const 59)))
                (if (i32.gt_u (local.get $i) (i32.sub (local.get $end) (local.get $pos)))
                  (then (return (i32.const -1))))
                (local.set $len (i32.const 0))
                (loop $length_bytes
                  (local.set $i (i32.sub (local.get $i) (i32.const 1)))
                  (local.set $len
                    (i32.or (i32.shl (local.get $len) (i32.const 8))
                            (i32.load8_u (i32.add (local.get $pos) (local.get $i)))))
                  (br_if $length_bytes (local.get $i)))
                (local.set $pos (i32.add (local.get $pos)
                  (i32.sub (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 59))))))
            ;; len + 1 bytes must lie in the block and fit the output (compared before adding 1,
            ;; which would wrap at 2^32)
            (if (i32.ge_u (local.get $len) (i32.sub (local.get $end) (local.get $pos)))
              (then (return (i32.const -2))))
            (if (i32.ge_u (local.get $len) (i32.sub (local.get $oend) (local.get $o)))
              (then (return (i32.const -3))))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.le_u (local.get $len) (i32.const 64))
              (then
                (local.set $i (i32.const 0))
                (loop $literal_words
                  (i64.store (i32.add (local.get $o) (local.get $i))
                             (i64.load (i32.add (local.get $pos) (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 8)))
                  (br_if $literal_words (i32.lt_u (local.get $i) (local.get $len)))))
              (else (memory.copy (local.get $o) (local.get $pos) (local.get $len))))
            (local.set $pos (i32.add (local.get $pos) (local.get $len)))
            (local.set $o (i32.add (local.get $o) (local.get $len)))
            (br $next)))

        ;; copies: 1-byte offset (length 4-11), 2-byte or 4-byte offset (length 1-64)
        (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 1))
          (then
            (if (i32.lt_u (i32.sub (local.get $end) (local.get $pos)) (i32.const 1))
              (then (return (i32.const -4))))
            (local.set $len (i32.add (i32.const 4) (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7))))
            (local.set $off (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8))
                                    (i32.load8_u (local.get $pos))))
            (local.set $pos (i32.add (local.get $pos) (i32.const 1))))
          (else
            (local.set $len (i32.add (i32.const 1) (i32.shr_u (local.get $tag) (i32.const 2))))
            (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 2))
              (then
                (if (i32.lt_u (i32.sub (local.get $end) (local.get $pos)) (i32.const 2))
                  (then (return (i32.const -4))))
                (local.set $off (i32.load16_u (local.get $pos)))
                (local.set $pos (i32.add (local.get $pos) (i32.const 2))))
              (else
                (if (i32.lt_u (i32.sub (local.get $end) (local.get $pos)) (i32.const 4))
                  (then (return (i32.const -4))))
                (local.set $off (i32.load (local.get $pos)))
                (local.set $pos (i32.add (local.get $pos) (i32.const 4)))))))
        (if (i32.or (i32.eqz (local.get $off))
                    (i32.gt_u (local.get $off) (i32.sub (local.get $o) (local.get $out))))
          (then (return (i32.const -5))))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $oend) (local.get $o)))
          (then (return (i32.const -3))))
        (local.set $from (i32.sub (local.get $o) (local.get $off)))
        (local.set $i (i32.const 0))
        (if (i32.ge_u (local.get $off) (i32.const 8))
          (then
            ;; each word reads only bytes written before it
            (loop $copy_words
              (i64.store (i32.add (local.get $o) (local.get $i))
                         (i64.load (i32.add (local.get $from) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 8)))
              (br_if $copy_words (i32.lt_u (local.get $i) (local.get $len)))))
          (else
            (loop $copy_bytes
              (i32.store8 (i32.add (local.get $o) (local.get $i))
                          (i32.load8_u (i32.add (local.get $from) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $copy_bytes (i32.lt_u (local.get $i) (local.get $len))))))
        (local.set $o (i32.add (local.get $o) (local.get $len)))
        (br $next)))
    (i32.sub (local.get $o) (local.get $out))))
