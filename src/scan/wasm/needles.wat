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
;;                         (0: a needle, 1: the `import` word, 2: a needle matched as a whole word)
;;   out .. out+4*cap      positions of the `import` words found (i32)
;;   scratch .. +16        one vector, to read a candidate's buckets
;;   data .. data+len      the file; readable (any bytes) up to data+len+18
(module
  (memory (export "memory") 2)

  ;; With $all 0: -1 when a needle (kind 0 or 2) occurs; -2 when more than `cap` words were found;
  ;; else the number of `import` words (kind 1), their positions written at `out` in increasing
  ;; order. With $all 1, needles are sites too: every site is written as position * 2 + (1 for a
  ;; needle, 0 for an `import` word), and -2 means more than `cap` sites.
  (func (export "search")
    (param $data i32) (param $len i32) (param $fp i32) (param $entries i32) (param $entriesEnd i32)
    (param $out i32) (param $cap i32) (param $scratch i32) (param $all i32)
    (result i32)
    (local $nib v128) (local $t0lo v128) (local $t0hi v128) (local $t1lo v128) (local $t1hi v128)
    (local $t2lo v128) (local $t2hi v128) (local $a v128) (local $m v128)
    (local $i i32) (local $at i32) (local $bits i32) (local $lane i32) (local $bucket i32) (local $p i32)
    (local $e i32) (local $n i32) (local $k i32) (local $src i32) (local $found i32) (local $kind i32)
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
        ;; All three tables at once: in source text the first byte of some needle is in nearly
        ;; every block, so testing it alone first only adds a branch.
        (local.set $a (v128.load (local.get $at)))
        (local.set $m
          (v128.and
            (i8x16.swizzle (local.get $t0lo) (v128.and (local.get $a) (local.get $nib)))
            (i8x16.swizzle (local.get $t0hi) (i8x16.shr_u (local.get $a) (i32.const 4)))))
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
                        (local.set $kind (i32.load offset=12 (local.get $e)))
                        (if (call $bounded (local.get $data) (local.get $len) (local.get $p) (local.get $n) (local.get $kind))
                          (then
                            (if (i32.and (i32.eqz (local.get $all)) (i32.ne (local.get $kind) (i32.const 1)))
                              (then (return (i32.const -1))))
                            (if (i32.ge_u (local.get $found) (local.get $cap))
                              (then (return (i32.const -2))))
                            (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2)))
                              (if (result i32) (local.get $all)
                                (then (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.ne (local.get $kind) (i32.const 1))))
                                (else (local.get $p))))
                            (local.set $found (i32.add (local.get $found) (i32.const 1)))))))))
                (local.set $e (i32.add (local.get $e) (i32.const 16)))
                (br_if $verify (i32.lt_u (local.get $e) (local.get $entriesEnd))))
              (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
              (br_if $candidates (local.get $bits)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.get $found))

  ;; A match of `n` bytes at p (data-relative) of an entry of `kind`: always taken, but for kind 2
  ;; (a needle matched as a whole word) only when no identifier character touches it on either side
  ;; (a UTF-8 byte-order mark before it at the very start is not one). Python reads `legacy_tools`
  ;; or `mylegacy` as other names, so they cannot spell the module `legacy`; the bytes past the end
  ;; (whatever they hold) are not read.
  (func $bounded (param $data i32) (param $len i32) (param $p i32) (param $n i32) (param $kind i32) (result i32)
    (if (i32.ne (local.get $kind) (i32.const 2)) (then (return (i32.const 1))))
    (if (i32.lt_u (i32.add (local.get $p) (local.get $n)) (local.get $len))
      (then
        (if (call $isIdentChar (i32.load8_u (i32.add (local.get $data) (i32.add (local.get $p) (local.get $n)))))
          (then (return (i32.const 0))))))
    (if (i32.eqz (local.get $p)) (then (return (i32.const 1))))
    (if (i32.and (i32.eq (local.get $p) (i32.const 3))
          (i32.eq (i32.and (i32.load (local.get $data)) (i32.const 0xffffff)) (i32.const 0xbfbbef)))
      (then (return (i32.const 1))))
    (i32.eqz (call $isIdentChar (i32.load8_u (i32.add (local.get $data) (i32.sub (local.get $p) (i32.const 1)))))))

  ;; ---------------------------------------------------------------------------------------------
  ;; The structural pass: where a file's strings and comments are, and how deep in brackets its
  ;; code is, told for a sorted list of sites (the `search` sites above) without tokenizing. It
  ;; follows src/python/lexer.ts exactly (the same prefixes, escapes, f-string fields, unterminated
  ;; strings), so the lexer can then run on the import statements alone (../structure.ts).
  ;;
  ;; In code, a 16-byte step classifies every byte with two nibble tables (i8x16.swizzle) into
  ;; quote-or-#, opening and closing bracket; brackets are counted bit by bit, and the first quote
  ;; or # starts a string or a comment, whose end is found by a SIMD search for its closing bytes.
  ;; Escapes are counted backwards from a candidate closing quote (a quote after an odd run of
  ;; backslashes is escaped). f-strings, whose replacement fields hold code, are walked byte by
  ;; byte as the lexer walks them (recursive functions, like its own).
  ;;
  ;; Reads data .. data+len+16: the caller zeroes the 32 bytes after the file (a zero byte is
  ;; nothing special, as the lexer's NaN past the end). `sites`: nsites i32, position * 2 + flag,
  ;; non-decreasing. For site k, out + 24k gets six i32: class (0 code outside brackets, 1 code in
  ;; brackets, 2 comment, 3 string, 4 in an f-string), and for class 3 the literal's start (its
  ;; prefix included), content start, content end, end, and kind (1 plain or raw, 3 bytes, +8 when
  ;; it is unterminated). Returns 0, or 1 when a bracket is closed that was not open, or one is
  ;; left open at the end (the lexer reports both; the caller then lexes the whole file).

  (global $len (mut i32) (i32.const 0))
  (global $data (mut i32) (i32.const 0))
  (global $fieldDepth (mut i32) (i32.const 0))

  ;; The byte at p (data-relative), 0 past the end.
  (func $at (param $p i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $p) (global.get $len))
      (then (i32.load8_u (i32.add (global.get $data) (local.get $p))))
      (else (i32.const 0))))

  (func $isIdentStart (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.ge_u (local.get $c) (i32.const 128)) (i32.eq (local.get $c) (i32.const 95)))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26))))

  (func $isIdentChar (param $c i32) (result i32)
    (i32.or (call $isIdentStart (local.get $c))
      (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))

  ;; The lexer's stringPrefixKind over [s, e): 0 none, 1 plain, 2 f (or t), 3 bytes.
  (func $prefixKind (param $s i32) (param $e i32) (result i32)
    (local $a i32) (local $z i32) (local $other i32)
    (if (i32.eq (i32.sub (local.get $e) (local.get $s)) (i32.const 1))
      (then
        (local.set $a (i32.or (call $at (local.get $s)) (i32.const 32)))
        (if (i32.or (i32.eq (local.get $a) (i32.const 114)) (i32.eq (local.get $a) (i32.const 117))) (then (return (i32.const 1))))
        (if (i32.or (i32.eq (local.get $a) (i32.const 102)) (i32.eq (local.get $a) (i32.const 116))) (then (return (i32.const 2))))
        (if (i32.eq (local.get $a) (i32.const 98)) (then (return (i32.const 3))))
        (return (i32.const 0))))
    (if (i32.ne (i32.sub (local.get $e) (local.get $s)) (i32.const 2)) (then (return (i32.const 0))))
    (local.set $a (i32.or (call $at (local.get $s)) (i32.const 32)))
    (local.set $z (i32.or (call $at (i32.add (local.get $s) (i32.const 1))) (i32.const 32)))
    (if (i32.eq (local.get $z) (i32.const 114))
      (then (local.set $other (local.get $a)))
      (else
        (if (i32.eq (local.get $a) (i32.const 114))
          (then (local.set $other (local.get $z)))
          (else (return (i32.const 0))))))
    (if (i32.or (i32.eq (local.get $other) (i32.const 102)) (i32.eq (local.get $other) (i32.const 116))) (then (return (i32.const 2))))
    (if (i32.eq (local.get $other) (i32.const 98)) (then (return (i32.const 3))))
    (if (i32.and (i32.eq (local.get $other) (i32.const 117)) (i32.eq (local.get $a) (i32.const 117))) (then (return (i32.const 1))))
    (i32.const 0))

  ;; True when a prefix in [s, q) has an r.
  (func $isRaw (param $s i32) (param $q i32) (result i32)
    (block $no
      (loop $each
        (br_if $no (i32.ge_u (local.get $s) (local.get $q)))
        (if (i32.eq (i32.or (call $at (local.get $s)) (i32.const 32)) (i32.const 114)) (then (return (i32.const 1))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $each)))
    (i32.const 0))

  ;; The first position at or after p holding a or b (a == b for one byte), or len.
  (func $find2 (param $p i32) (param $a i32) (param $b i32) (result i32)
    (local $va v128) (local $vb v128) (local $v v128) (local $m i32)
    (local.set $va (i8x16.splat (local.get $a)))
    (local.set $vb (i8x16.splat (local.get $b)))
    (block $none
      (loop $blocks
        (br_if $none (i32.ge_u (local.get $p) (global.get $len)))
        (local.set $v (v128.load (i32.add (global.get $data) (local.get $p))))
        (local.set $m (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (local.get $va)) (i8x16.eq (local.get $v) (local.get $vb)))))
        (if (local.get $m)
          (then
            (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (return (select (local.get $p) (global.get $len) (i32.lt_u (local.get $p) (global.get $len))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)))
    (global.get $len))

  ;; As $find2, for three bytes.
  (func $find3 (param $p i32) (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local $va v128) (local $vb v128) (local $vc v128) (local $v v128) (local $m i32)
    (local.set $va (i8x16.splat (local.get $a)))
    (local.set $vb (i8x16.splat (local.get $b)))
    (local.set $vc (i8x16.splat (local.get $c)))
    (block $none
      (loop $blocks
        (br_if $none (i32.ge_u (local.get $p) (global.get $len)))
        (local.set $v (v128.load (i32.add (global.get $data) (local.get $p))))
        (local.set $m (i8x16.bitmask
          (v128.or (v128.or (i8x16.eq (local.get $v) (local.get $va)) (i8x16.eq (local.get $v) (local.get $vb)))
            (i8x16.eq (local.get $v) (local.get $vc)))))
        (if (local.get $m)
          (then
            (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (return (select (local.get $p) (global.get $len) (i32.lt_u (local.get $p) (global.get $len))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $blocks)))
    (global.get $len))

  ;; True when the byte at j follows an odd run of backslashes (it is escaped).
  (func $escaped (param $j i32) (result i32)
    (local $n i32)
    (block $done
      (loop $back
        (br_if $done (i32.eqz (local.get $j)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (br_if $done (i32.ne (i32.load8_u (i32.add (global.get $data) (local.get $j))) (i32.const 92)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $back)))
    (i32.and (local.get $n) (i32.const 1)))

  ;; A comment from p (at #) to its line break (exclusive), or len.
  (func $skipComment (param $p i32) (result i32)
    (call $find2 (local.get $p) (i32.const 10) (i32.const 13)))

  ;; The lexer's skipString, for the literals met inside f-strings and for f-strings themselves:
  ;; quote at q, kind 1 / 2 / 3, literal (prefix) at ls. Returns the offset after it.
  (func $skipString (param $q i32) (param $kind i32) (param $ls i32) (result i32)
    (local $quote i32) (local $triple i32) (local $p i32) (local $c i32) (local $n i32) (local $e i32)
    (local.set $quote (call $at (local.get $q)))
    (local.set $triple (i32.and
      (i32.eq (call $at (i32.add (local.get $q) (i32.const 1))) (local.get $quote))
      (i32.eq (call $at (i32.add (local.get $q) (i32.const 2))) (local.get $quote))))
    (if (i32.and (i32.eq (local.get $kind) (i32.const 2)) (i32.ge_u (global.get $fieldDepth) (i32.const 200)))
      (then (local.set $kind (i32.const 1))))
    (local.set $p (i32.add (local.get $q) (select (i32.const 3) (i32.const 1) (local.get $triple))))
    (block $end
      (loop $chars
        (br_if $end (i32.ge_u (local.get $p) (global.get $len)))
        (local.set $c (i32.load8_u (i32.add (global.get $data) (local.get $p))))
        (if (i32.eq (local.get $c) (local.get $quote))
          (then
            (if (i32.eqz (local.get $triple)) (then (return (i32.add (local.get $p) (i32.const 1)))))
            (if (i32.and
                  (i32.eq (call $at (i32.add (local.get $p) (i32.const 1))) (local.get $quote))
                  (i32.eq (call $at (i32.add (local.get $p) (i32.const 2))) (local.get $quote)))
              (then (return (i32.add (local.get $p) (i32.const 3)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $chars)))
        (if (i32.eq (local.get $c) (i32.const 92))
          (then
            (local.set $n (call $at (i32.add (local.get $p) (i32.const 1))))
            (if (i32.and (i32.eq (local.get $kind) (i32.const 2)) (i32.eq (local.get $n) (i32.const 123)))
              (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $chars)))
            (if (i32.and
                  (i32.and (i32.eq (local.get $kind) (i32.const 2)) (i32.eq (local.get $n) (i32.const 78)))
                  (i32.and (i32.eq (call $at (i32.add (local.get $p) (i32.const 2))) (i32.const 123))
                    (i32.eqz (call $isRaw (local.get $ls) (local.get $q)))))
              (then
                (local.set $p (i32.add (local.get $p) (i32.const 3)))
                (block $named
                  (loop $name
                    (br_if $named (i32.ge_u (local.get $p) (global.get $len)))
                    (local.set $e (i32.load8_u (i32.add (global.get $data) (local.get $p))))
                    (br_if $named (i32.or
                      (i32.or (i32.eq (local.get $e) (i32.const 125)) (i32.eq (local.get $e) (local.get $quote)))
                      (i32.or (i32.eq (local.get $e) (i32.const 10)) (i32.eq (local.get $e) (i32.const 13)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $name)))
                (if (i32.eq (call $at (local.get $p)) (i32.const 125)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
                (br $chars)))
            (local.set $p (i32.add (local.get $p)
              (select (i32.const 3) (i32.const 2)
                (i32.and (i32.eq (local.get $n) (i32.const 13)) (i32.eq (call $at (i32.add (local.get $p) (i32.const 2))) (i32.const 10))))))
            (br $chars)))
        (if (i32.and (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))) (i32.eqz (local.get $triple)))
          (then (return (local.get $p))))
        (if (i32.and (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $kind) (i32.const 2)))
          (then
            (if (i32.eq (call $at (i32.add (local.get $p) (i32.const 1))) (i32.const 123))
              (then (local.set $p (i32.add (local.get $p) (i32.const 2))))
              (else (local.set $p (call $skipField (i32.add (local.get $p) (i32.const 1)) (local.get $quote) (local.get $triple)))))
            (br $chars)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $chars)))
    (global.get $len))

  ;; The lexer's skipReplacementField: p just after `{`. Returns the offset after its `}`.
  (func $skipField (param $p i32) (param $quote i32) (param $triple i32) (result i32)
    (local $d i32) (local $end i32) (local $c i32) (local $s i32) (local $nc i32) (local $k i32)
    (global.set $fieldDepth (i32.add (global.get $fieldDepth) (i32.const 1)))
    (local.set $end (global.get $len))
    (block $out
      (loop $chars
        (br_if $out (i32.ge_u (local.get $p) (global.get $len)))
        (local.set $c (i32.load8_u (i32.add (global.get $data) (local.get $p))))
        (block $next
          (if (i32.or (i32.eq (local.get $c) (i32.const 39)) (i32.eq (local.get $c) (i32.const 34)))
            (then (local.set $p (call $skipString (local.get $p) (i32.const 1) (local.get $p))) (br $next)))
          (if (call $isIdentStart (local.get $c))
            (then
              (local.set $s (local.get $p))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (block $word
                (loop $chars2
                  (br_if $word (i32.ge_u (local.get $p) (global.get $len)))
                  (br_if $word (i32.eqz (call $isIdentChar (i32.load8_u (i32.add (global.get $data) (local.get $p))))))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (br $chars2)))
              (local.set $nc (call $at (local.get $p)))
              (if (i32.or (i32.eq (local.get $nc) (i32.const 39)) (i32.eq (local.get $nc) (i32.const 34)))
                (then
                  (local.set $k (call $prefixKind (local.get $s) (local.get $p)))
                  (if (local.get $k) (then (local.set $p (call $skipString (local.get $p) (local.get $k) (local.get $s)))))))
              (br $next)))
          (if (i32.or (i32.or (i32.eq (local.get $c) (i32.const 40)) (i32.eq (local.get $c) (i32.const 91))) (i32.eq (local.get $c) (i32.const 123)))
            (then (local.set $d (i32.add (local.get $d) (i32.const 1))) (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $next)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 41)) (i32.eq (local.get $c) (i32.const 93)))
            (then
              (if (local.get $d) (then (local.set $d (i32.sub (local.get $d) (i32.const 1)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next)))
          (if (i32.eq (local.get $c) (i32.const 125))
            (then
              (if (i32.eqz (local.get $d)) (then (local.set $end (i32.add (local.get $p) (i32.const 1))) (br $out)))
              (local.set $d (i32.sub (local.get $d) (i32.const 1)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next)))
          (if (i32.and (i32.eq (local.get $c) (i32.const 58)) (i32.eqz (local.get $d)))
            (then (local.set $end (call $skipSpec (i32.add (local.get $p) (i32.const 1)) (local.get $quote) (local.get $triple))) (br $out)))
          (if (i32.eq (local.get $c) (i32.const 35))
            (then (local.set $p (call $skipComment (local.get $p))) (br $next)))
          (if (i32.and
                (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))
                (i32.and (i32.eqz (local.get $triple)) (i32.eqz (local.get $d))))
            (then (local.set $end (local.get $p)) (br $out)))
          (local.set $p (i32.add (local.get $p) (i32.const 1))))
        (br $chars)))
    (global.set $fieldDepth (i32.sub (global.get $fieldDepth) (i32.const 1)))
    (local.get $end))

  ;; The lexer's skipFormatSpec: p just after `:`; up to and including its `}`.
  (func $skipSpec (param $p i32) (param $quote i32) (param $triple i32) (result i32)
    (local $c i32)
    (block $out
      (loop $chars
        (br_if $out (i32.ge_u (local.get $p) (global.get $len)))
        (local.set $c (i32.load8_u (i32.add (global.get $data) (local.get $p))))
        (if (i32.eq (local.get $c) (i32.const 125)) (then (return (i32.add (local.get $p) (i32.const 1)))))
        (if (i32.and (i32.eq (local.get $c) (i32.const 123)) (i32.lt_u (global.get $fieldDepth) (i32.const 200)))
          (then (local.set $p (call $skipField (i32.add (local.get $p) (i32.const 1)) (local.get $quote) (local.get $triple))) (br $chars)))
        (if (i32.eq (local.get $c) (local.get $quote))
          (then
            (if (i32.or (i32.eqz (local.get $triple))
                  (i32.and
                    (i32.eq (call $at (i32.add (local.get $p) (i32.const 1))) (local.get $quote))
                    (i32.eq (call $at (i32.add (local.get $p) (i32.const 2))) (local.get $quote))))
              (then (return (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $chars)))
        (if (i32.and (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))) (i32.eqz (local.get $triple)))
          (then (return (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $chars)))
    (global.get $len))

  (func (export "structure")
    (param $data i32) (param $len i32) (param $base i32) (param $sites i32) (param $nsites i32) (param $out i32)
    (result i32)
    (local $p i32) (local $k i32) (local $depth i32) (local $bad i32)
    (local $nib v128) (local $lo v128) (local $hi v128) (local $v v128) (local $cls v128)
    (local $ev i32) (local $br i32) (local $open i32) (local $range i32) (local $site i32) (local $b i32)
    (local $q i32) (local $c i32) (local $kind i32) (local $ls i32) (local $s i32) (local $triple i32)
    (local $cs i32) (local $ce i32) (local $end i32) (local $j i32) (local $o i32) (local $cls3 i32)
    (global.set $data (local.get $data))
    (global.set $len (local.get $len))
    (global.set $fieldDepth (i32.const 0))
    ;; class bits: 1 = " ' #, 2 = (, 4 = ), 8 = [ {, 16 = ] }  (low nibble table, high nibble table)
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $lo (v128.const i8x16 0 0 1 1 0 0 0 1 2 4 0 8 0 16 0 0))
    (local.set $hi (v128.const i8x16 0 0 7 0 0 24 0 24 0 0 0 0 0 0 0 0))
    (local.set $p (local.get $base))
    (block $eof
      (loop $code
        (br_if $eof (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $v (v128.load (i32.add (local.get $data) (local.get $p))))
        (local.set $cls (v128.and
          (i8x16.swizzle (local.get $lo) (v128.and (local.get $v) (local.get $nib)))
          (i8x16.swizzle (local.get $hi) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $ev (i32.const 0))
        (local.set $br (i32.const 0))
        (if (v128.any_true (local.get $cls))
          (then
            (local.set $ev (i8x16.bitmask (i8x16.ne (v128.and (local.get $cls) (i8x16.splat (i32.const 1))) (v128.const i64x2 0 0))))
            (local.set $br (i8x16.bitmask (i8x16.ne (v128.and (local.get $cls) (i8x16.splat (i32.const 30))) (v128.const i64x2 0 0))))
            (local.set $open (i8x16.bitmask (i8x16.ne (v128.and (local.get $cls) (i8x16.splat (i32.const 10))) (v128.const i64x2 0 0))))))
        ;; bits before the first event (all 16 when there is none); zero bytes past the end classify as nothing
        (local.set $range (select (i32.sub (i32.and (local.get $ev) (i32.sub (i32.const 0) (local.get $ev))) (i32.const 1)) (i32.const 0xffff) (local.get $ev)))
        (local.set $br (i32.and (local.get $br) (local.get $range)))
        ;; sites and brackets in this block before the event, in order
        (block $merged
          (loop $merge
            (local.set $b (select (i32.ctz (local.get $br)) (i32.const 32) (local.get $br)))
            (local.set $site (i32.const 32))
            (if (i32.lt_u (local.get $k) (local.get $nsites))
              (then
                (local.set $site (i32.sub (i32.shr_u (i32.load (i32.add (local.get $sites) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 1)) (local.get $p)))
                (if (i32.or (i32.ge_u (local.get $site) (i32.const 16))
                      (i32.eqz (i32.and (local.get $range) (i32.shl (i32.const 1) (local.get $site)))))
                  (then (local.set $site (i32.const 32))))))
            (br_if $merged (i32.and (i32.eq (local.get $b) (i32.const 32)) (i32.eq (local.get $site) (i32.const 32))))
            (if (i32.lt_u (local.get $site) (local.get $b))
              (then
                (i32.store (i32.add (local.get $out) (i32.mul (local.get $k) (i32.const 24))) (i32.ne (local.get $depth) (i32.const 0)))
                (local.set $k (i32.add (local.get $k) (i32.const 1))))
              (else
                (if (i32.and (local.get $open) (i32.shl (i32.const 1) (local.get $b)))
                  (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
                  (else
                    (if (local.get $depth)
                      (then (local.set $depth (i32.sub (local.get $depth) (i32.const 1))))
                      (else (local.set $bad (i32.const 1))))))
                (local.set $br (i32.and (local.get $br) (i32.sub (local.get $br) (i32.const 1))))))
            (br $merge)))
        (if (i32.eqz (local.get $ev))
          (then (local.set $p (i32.add (local.get $p) (i32.const 16))) (br $code)))
        ;; the event: a comment or a string literal at q
        (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $ev))))
        (local.set $c (i32.load8_u (i32.add (local.get $data) (local.get $q))))
        (if (i32.eq (local.get $c) (i32.const 35))
          (then
            (local.set $end (call $skipComment (local.get $q)))
            (local.set $cls3 (i32.const 2))
            (local.set $ls (local.get $q)))
          (else
            ;; the lexer's literalKind: the prefix is the identifier right before the quote
            (local.set $ls (local.get $q))
            (local.set $kind (i32.const 1))
            (if (i32.and (i32.gt_u (local.get $q) (local.get $base)) (call $isIdentChar (call $at (i32.sub (local.get $q) (i32.const 1)))))
              (then
                (local.set $s (i32.sub (local.get $q) (i32.const 1)))
                (block $prefix
                  (if (i32.and (i32.gt_u (local.get $s) (local.get $base)) (call $isIdentChar (call $at (i32.sub (local.get $s) (i32.const 1)))))
                    (then
                      (local.set $s (i32.sub (local.get $s) (i32.const 1)))
                      (br_if $prefix (i32.and (i32.gt_u (local.get $s) (local.get $base)) (call $isIdentChar (call $at (i32.sub (local.get $s) (i32.const 1))))))))
                  (local.set $j (call $prefixKind (local.get $s) (local.get $q)))
                  (if (local.get $j) (then (local.set $ls (local.get $s)) (local.set $kind (local.get $j)))))))
            ;; a site in the prefix is in the literal
            (block $back
              (loop $unmark
                (br_if $back (i32.eqz (local.get $k)))
                (br_if $back (i32.lt_u
                  (i32.shr_u (i32.load (i32.add (local.get $sites) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 2)))) (i32.const 1))
                  (local.get $ls)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $unmark)))
            (if (i32.eq (local.get $kind) (i32.const 2))
              (then
                (local.set $end (call $skipString (local.get $q) (i32.const 2) (local.get $ls)))
                (local.set $cls3 (i32.const 4)))
              (else
                (local.set $cls3 (i32.const 3))
                (local.set $triple (i32.and
                  (i32.eq (call $at (i32.add (local.get $q) (i32.const 1))) (local.get $c))
                  (i32.eq (call $at (i32.add (local.get $q) (i32.const 2))) (local.get $c))))
                (local.set $cs (i32.add (local.get $q) (select (i32.const 3) (i32.const 1) (local.get $triple))))
                (local.set $j (local.get $cs))
                (block $closed
                  (loop $candidates
                    (if (local.get $triple)
                      (then (local.set $j (call $find2 (local.get $j) (local.get $c) (local.get $c))))
                      (else (local.set $j (call $find3 (local.get $j) (local.get $c) (i32.const 10) (i32.const 13)))))
                    (if (i32.ge_u (local.get $j) (local.get $len))
                      (then
                        (local.set $ce (local.get $len))
                        (local.set $end (local.get $len))
                        (local.set $kind (i32.or (local.get $kind) (i32.const 8)))
                        (br $closed)))
                    (local.set $o (i32.load8_u (i32.add (local.get $data) (local.get $j))))
                    (if (i32.eq (local.get $o) (local.get $c))
                      (then
                        (if (i32.eqz (call $escaped (local.get $j)))
                          (then
                            (if (i32.eqz (local.get $triple))
                              (then (local.set $ce (local.get $j)) (local.set $end (i32.add (local.get $j) (i32.const 1))) (br $closed)))
                            (if (i32.and
                                  (i32.eq (call $at (i32.add (local.get $j) (i32.const 1))) (local.get $c))
                                  (i32.eq (call $at (i32.add (local.get $j) (i32.const 2))) (local.get $c)))
                              (then (local.set $ce (local.get $j)) (local.set $end (i32.add (local.get $j) (i32.const 3))) (br $closed))))))
                      (else
                        ;; a line break ends a one-line string unless escaped (`\` CR LF is one escaped break)
                        (if (i32.eqz (i32.or (call $escaped (local.get $j))
                              (i32.and (i32.and (i32.eq (local.get $o) (i32.const 10)) (i32.gt_u (local.get $j) (local.get $cs)))
                                (i32.and (i32.eq (call $at (i32.sub (local.get $j) (i32.const 1))) (i32.const 13))
                                  (call $escaped (i32.sub (local.get $j) (i32.const 1)))))))
                          (then
                            (local.set $ce (local.get $j))
                            (local.set $end (local.get $j))
                            (local.set $kind (i32.or (local.get $kind) (i32.const 8)))
                            (br $closed)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $candidates)))))))
        ;; the sites in [ls, end) are in this comment or literal
        (block $marked
          (loop $mark
            (br_if $marked (i32.ge_u (local.get $k) (local.get $nsites)))
            (local.set $site (i32.shr_u (i32.load (i32.add (local.get $sites) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 1)))
            (br_if $marked (i32.ge_u (local.get $site) (local.get $end)))
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $k) (i32.const 24))))
            (i32.store (local.get $o) (local.get $cls3))
            (i32.store offset=4 (local.get $o) (local.get $ls))
            (i32.store offset=8 (local.get $o) (local.get $cs))
            (i32.store offset=12 (local.get $o) (local.get $ce))
            (i32.store offset=16 (local.get $o) (local.get $end))
            (i32.store offset=20 (local.get $o) (local.get $kind))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $mark)))
        (local.set $p (local.get $end))
        (br $code)))
    (i32.or (local.get $bad) (i32.ne (local.get $depth) (i32.const 0))))
)
