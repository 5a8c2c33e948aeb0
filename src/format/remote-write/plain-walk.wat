;; Walking a prometheus.WriteRequest written the way senders write it: series of contiguous Label
;; fields then Sample fields, samples of a value (fixed64) and a timestamp (a varint), nothing else.
;; It finds each series' Label bytes and copies its samples into columns; anything else in the body
;; (metadata, exemplars, histograms, unknown or misplaced fields, a length that overruns) makes it
;; give up, and the JS decoder (decode.ts) decodes the request instead, with its exact errors.
;;
;; Source of plain-walk-wasm.ts: `npm run wasm` assembles it; a test checks the two agree.
(module
  (memory (export "memory") 1)

  ;; Where a varint read left off (the value is the function's result).
  (global $pos (mut i32) (i32.const 0))

  ;; A varint of at most 4 bytes at `p` (before `end`): a length below 2^28, or -1.
  (func $length (param $p i32) (param $end i32) (result i32)
    (local $v i32) (local $b i32) (local $shift i32)
    (loop $next
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $b (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $v (i32.or (local.get $v) (i32.shl (i32.and (local.get $b) (i32.const 0x7f)) (local.get $shift))))
      (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
      (if (i32.and (local.get $b) (i32.const 0x80))
        (then
          (br_if $next (i32.lt_u (local.get $shift) (i32.const 28)))
          (return (i32.const -1)))))
    (global.set $pos (local.get $p))
    (local.get $v))

  ;; Walks the body in memory[0, len). Writes per series, at `series` (12 bytes each): the start and
  ;; end of its Label fields and the end of its rows; per sample, at `rows` + 8i its timestamp (f64)
  ;; and at `rows` + 8·maxRows + 8i its value's 8 bytes. Returns the number of series; -1 when the
  ;; body is not of this plain shape; -2 when more than maxSeries series or maxRows samples.
  (func (export "walk") (param $len i32) (param $series i32) (param $maxSeries i32)
      (param $rows i32) (param $maxRows i32) (result i32)
    (local $p i32) (local $n i32) (local $seriesEnd i32) (local $labelsStart i32) (local $sampleEnd i32)
    (local $row i32) (local $l i32) (local $t i64) (local $b i64) (local $shift i64) (local $values i32)
    (local.set $values (i32.add (local.get $rows) (i32.shl (local.get $maxRows) (i32.const 3))))
    (block $done
      (loop $series
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        ;; WriteRequest.timeseries: field 1, length-delimited
        (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x0a)) (then (return (i32.const -1))))
        ;; the length: one byte nearly always (read here: a call costs as much again)
        (if (i32.and (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $len))
                     (i32.lt_u (i32.load8_u offset=1 (local.get $p)) (i32.const 0x80)))
          (then
            (local.set $l (i32.load8_u offset=1 (local.get $p)))
            (local.set $p (i32.add (local.get $p) (i32.const 2))))
          (else
            (local.set $l (call $length (i32.add (local.get $p) (i32.const 1)) (local.get $len)))
            (local.set $p (global.get $pos))))
        (if (i32.or (i32.lt_s (local.get $l) (i32.const 0))
                    (i32.gt_u (local.get $l) (i32.sub (local.get $len) (local.get $p))))
          (then (return (i32.const -1))))
        (local.set $seriesEnd (i32.add (local.get $p) (local.get $l)))
        (if (i32.ge_u (local.get $n) (local.get $maxSeries)) (then (return (i32.const -2))))
        ;; TimeSeries.labels (field 1), at least one, together
        (local.set $labelsStart (local.get $p))
        (block $labelsDone
          (loop $label
            (br_if $labelsDone (i32.ge_u (local.get $p) (local.get $seriesEnd)))
            (br_if $labelsDone (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x0a)))
            ;; the length: one byte nearly always (read here: a call costs as much again)
            (if (i32.and (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $seriesEnd))
                         (i32.lt_u (i32.load8_u offset=1 (local.get $p)) (i32.const 0x80)))
              (then
                (local.set $l (i32.load8_u offset=1 (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 2))))
              (else
                (local.set $l (call $length (i32.add (local.get $p) (i32.const 1)) (local.get $seriesEnd)))
                (local.set $p (global.get $pos))))
            (if (i32.or (i32.lt_s (local.get $l) (i32.const 0))
                        (i32.gt_u (local.get $l) (i32.sub (local.get $seriesEnd) (local.get $p))))
              (then (return (i32.const -1))))
            (local.set $p (i32.add (local.get $p) (local.get $l)))
            (br $label)))
        (if (i32.eq (local.get $p) (local.get $labelsStart)) (then (return (i32.const -1))))
        (i32.store (local.get $series) (local.get $labelsStart))
        (i32.store offset=4 (local.get $series) (local.get $p))
        ;; TimeSeries.samples (field 2), each {value = 1 (fixed64), timestamp = 2 (varint)}
        (block $samplesDone
          (loop $sample
            (br_if $samplesDone (i32.ge_u (local.get $p) (local.get $seriesEnd)))
            (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x12)) (then (return (i32.const -1))))
            ;; the length: one byte nearly always (read here: a call costs as much again)
            (if (i32.and (i32.lt_u (i32.add (local.get $p) (i32.const 1)) (local.get $seriesEnd))
                         (i32.lt_u (i32.load8_u offset=1 (local.get $p)) (i32.const 0x80)))
              (then
                (local.set $l (i32.load8_u offset=1 (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 2))))
              (else
                (local.set $l (call $length (i32.add (local.get $p) (i32.const 1)) (local.get $seriesEnd)))
                (local.set $p (global.get $pos))))
            (if (i32.or (i32.lt_s (local.get $l) (i32.const 0))
                        (i32.gt_u (local.get $l) (i32.sub (local.get $seriesEnd) (local.get $p))))
              (then (return (i32.const -1))))
            (local.set $sampleEnd (i32.add (local.get $p) (local.get $l)))
            (if (i32.ge_u (local.get $row) (local.get $maxRows)) (then (return (i32.const -2))))
            ;; absent fields are zero; a repeated field's last occurrence counts
            (i64.store (i32.add (local.get $values) (i32.shl (local.get $row) (i32.const 3))) (i64.const 0))
            (local.set $t (i64.const 0))
            (block $fieldsDone
              (loop $field
                (br_if $fieldsDone (i32.ge_u (local.get $p) (local.get $sampleEnd)))
                (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x09))
                  (then
                    (if (i32.gt_u (i32.add (local.get $p) (i32.const 9)) (local.get $sampleEnd))
                      (then (return (i32.const -1))))
                    (i64.store (i32.add (local.get $values) (i32.shl (local.get $row) (i32.const 3)))
                      (i64.load offset=1 (local.get $p)))
                    (local.set $p (i32.add (local.get $p) (i32.const 9)))
                    (br $field)))
                (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x10)) (then (return (i32.const -1))))
                ;; the timestamp: at most 8 bytes and below 2^53, so that it is exact as a double
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $t (i64.const 0))
                (local.set $shift (i64.const 0))
                (loop $byte
                  (if (i32.ge_u (local.get $p) (local.get $sampleEnd)) (then (return (i32.const -1))))
                  (local.set $b (i64.load8_u (local.get $p)))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $t (i64.or (local.get $t)
                    (i64.shl (i64.and (local.get $b) (i64.const 0x7f)) (local.get $shift))))
                  (local.set $shift (i64.add (local.get $shift) (i64.const 7)))
                  (if (i64.ne (i64.and (local.get $b) (i64.const 0x80)) (i64.const 0))
                    (then
                      (br_if $byte (i64.lt_u (local.get $shift) (i64.const 56)))
                      (return (i32.const -1)))))
                (if (i64.ge_u (local.get $t) (i64.const 0x20000000000000)) (then (return (i32.const -1))))
                (br $field)))
            (f64.store (i32.add (local.get $rows) (i32.shl (local.get $row) (i32.const 3)))
              (f64.convert_i64_u (local.get $t)))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $sample)))
        (i32.store offset=8 (local.get $series) (local.get $row))
        (local.set $series (i32.add (local.get $series) (i32.const 12)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $series)))
    (local.get $n)))
