;; The scan's byte prefilter as WebAssembly SIMD: one pass over a file's bytes that finds every
;; occurrence of a small set of needles, 16 positions at a time. Compiled by scripts/wasm.mjs into
;; needlesWasm.ts (committed; a test checks the two agree); driven by ../needleSearch.ts.
;;
;; The filter is a small "Teddy" (as in Hyperscan and Rust's aho-corasick): every needle belongs to
;; one of 8 buckets (a bit), and three pairs of 16-byte tables, indexed by the low and the high
;; nibble of the bytes at p, p+1 and p+2, say which buckets a needle there could belong to; i8x16.swizzle
;; looks up 16 positions at once, so a block costs the same whatever the number of needles. A position
;; with a bucket left is compared byte by byte with that bucket's needles.
;;
;; Memory, laid out by the caller (all offsets in bytes):
;;   fp .. fp+96           the tables: byte k of a needle, low nibble then high nibble, for k = 0, 1, 2
;;                         (a needle shorter than k+1 bytes sets its bit in every entry of table k)
;;   entries .. entriesEnd 16 bytes per needle: length, offset of its bytes, bucket bit, kind
;;                         (0: a needle, 1: the `import` word)
;;   out .. out+4*cap      positions of the `import` words found (i32)
;;   scratch .. +16        one vector, to read a candidate's buckets
;;   data .. data+len      the file; readable (any bytes) up to data+len+18
(module
  (memory (export "memory") 2)

  ;; -1 when a needle (kind 0) occurs; -2 when more than `cap` words were found; else the number
  ;; of `import` words (kind 1), their positions written at `out` in increasing order.
  (func (export "search")
    (param $data i32) (param $len i32) (param $fp i32) (param $entries i32) (param $entriesEnd i32)
    (param $out i32) (param $cap i32) (param $scratch i32)
    (result i32)
    (local $nib v128) (local $t0lo v128) (local $t0hi v128) (local $t1lo v128) (local $t1hi v128)
    (local $t2lo v128) (local $t2hi v128) (local $a v128) (local $m v128)
    (local $i i32) (local $at i32) (local $bits i32) (local $lane i32) (local $bucket i32) (local $p i32)
    (local $e i32) (local $n i32) (local $k i32) (local $src i32) (local $found i32)
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $t0lo (v128.load offset=0 (local.get $fp)))
    (local.set $t0hi (v128.load offset=16 (local.get $fp)))
    (local.set $t1lo (v128.load offset=32 (local.get $fp)))
    (local.set $t1hi (v128.load offset=48 (local.get $fp)))
    (local.set $t2lo (v128.load offset=64 (local.get $fp)))
    (local.set $t2hi (v128.load offset=80 (local.get $fp)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $at (i32.add (local.get $data) (local.get $i)))
        (local.set $a (v128.load (local.get $at)))
        (local.set $m
          (v128.and
            (i8x16.swizzle (local.get $t0lo) (v128.and (local.get $a) (local.get $nib)))
            (i8x16.swizzle (local.get $t0hi) (i8x16.shr_u (local.get $a) (i32.const 4)))))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $a (v128.load offset=1 (local.get $at)))
            (local.set $m
              (v128.and (local.get $m)
                (v128.and
                  (i8x16.swizzle (local.get $t1lo) (v128.and (local.get $a) (local.get $nib)))
                  (i8x16.swizzle (local.get $t1hi) (i8x16.shr_u (local.get $a) (i32.const 4))))))
            (local.set $a (v128.load offset=2 (local.get $at)))
            (local.set $m
              (v128.and (local.get $m)
                (v128.and
                  (i8x16.swizzle (local.get $t2lo) (v128.and (local.get $a) (local.get $nib)))
                  (i8x16.swizzle (local.get $t2hi) (i8x16.shr_u (local.get $a) (i32.const 4))))))
            (if (v128.any_true (local.get $m))
              (then
                (v128.store (local.get $scratch) (local.get $m))
                (local.set $bits (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0))))
                (loop $candidates
                  (local.set $lane (i32.ctz (local.get $bits)))
                  (local.set $p (i32.add (local.get $i) (local.get $lane)))
                  (local.set $bucket (i32.load8_u (i32.add (local.get $scratch) (local.get $lane))))
                  (local.set $e (local.get $entries))
                  (loop $verify
                    (local.set $n (i32.load (local.get $e)))
                    (if (i32.and
                          (i32.ne (i32.and (i32.load offset=8 (local.get $e)) (local.get $bucket)) (i32.const 0))
                          (i32.le_u (i32.add (local.get $p) (local.get $n)) (local.get $len)))
                      (then
                        (local.set $src (i32.load offset=4 (local.get $e)))
                        (local.set $k (i32.const 0))
                        (block $compared
                          (loop $compare
                            (br_if $compared (i32.ge_u (local.get $k) (local.get $n)))
                            (br_if $compared
                              (i32.ne
                                (i32.load8_u (i32.add (i32.add (local.get $data) (local.get $p)) (local.get $k)))
                                (i32.load8_u (i32.add (local.get $src) (local.get $k)))))
                            (local.set $k (i32.add (local.get $k) (i32.const 1)))
                            (br $compare)))
                        (if (i32.ge_u (local.get $k) (local.get $n))
                          (then
                            (if (i32.eqz (i32.load offset=12 (local.get $e)))
                              (then (return (i32.const -1))))
                            (if (i32.ge_u (local.get $found) (local.get $cap))
                              (then (return (i32.const -2))))
                            (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2))) (local.get $p))
                            (local.set $found (i32.add (local.get $found) (i32.const 1)))))))
                    (local.set $e (i32.add (local.get $e) (i32.const 16)))
                    (br_if $verify (i32.lt_u (local.get $e) (local.get $entriesEnd))))
                  (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                  (br_if $candidates (local.get $bits)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.get $found))
)
