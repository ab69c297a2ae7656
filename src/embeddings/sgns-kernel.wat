;; The SGNS update of one positive pair (Mikolov et al. 2013; word2vec's skip-gram inner loop) in
;; WebAssembly with 128-bit SIMD: four float32 lanes per instruction, where plain JS runs one
;; float64 at a time. Vectors are float32 as in word2vec and gensim.
;;
;; Memory layout (byte offsets chosen by sgns.ts, all 16-byte aligned): the sigmoid table
;; (SIGMOID_STEPS + 1 floats) at 0, then the gradient row, the target list, and the input and output
;; matrices. A row has `stride` floats (the dimension rounded up to a multiple of 4; the padding
;; stays 0, so it never changes a dot product).
;;
;; pair(in, targets, n, stride, lr, grad, outBase):
;;   for k < n: t = targets[k] (k = 0 is the positive, label 1; the rest are noise, label 0)
;;     g = (label - sigmoid(in . out_t)) * lr;  grad += g out_t;  out_t += g in
;;   in += grad
;; The sigmoid is word2vec's table: 1 at or above 6, 0 at or below -6, else entry
;; trunc((x + 6) * SIGMOID_STEPS / 12).
(module
  (memory (export "memory") 1)
  (func (export "pair")
    (param $in i32) (param $targets i32) (param $n i32) (param $stride i32) (param $lr f32)
    (param $grad i32) (param $outBase i32)
    (local $bytes i32) (local $c i32) (local $k i32) (local $out i32)
    (local $acc v128) (local $o v128) (local $gv v128)
    (local $x f32) (local $sig f32) (local $label f32)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    ;; grad = 0
    (local.set $c (i32.const 0))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $c) (local.get $bytes)))
        (v128.store (i32.add (local.get $grad) (local.get $c)) (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $zero)))
    (local.set $label (f32.const 1))
    (local.set $k (i32.const 0))
    (block $done
      (loop $target
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $out
          (i32.add (local.get $outBase)
            (i32.mul (i32.load (i32.add (local.get $targets) (i32.shl (local.get $k) (i32.const 2))))
                     (local.get $bytes))))
        ;; x = in . out
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $dotted
          (loop $dot
            (br_if $dotted (i32.ge_u (local.get $c) (local.get $bytes)))
            (local.set $acc
              (f32x4.add (local.get $acc)
                (f32x4.mul (v128.load (i32.add (local.get $in) (local.get $c)))
                           (v128.load (i32.add (local.get $out) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $dot)))
        (local.set $x
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (if (f32.ge (local.get $x) (f32.const 6))
          (then (local.set $sig (f32.const 1)))
          (else
            (if (f32.le (local.get $x) (f32.const -6))
              (then (local.set $sig (f32.const 0)))
              (else
                (local.set $sig
                  (f32.load
                    (i32.shl
                      (i32.trunc_f32_s (f32.mul (f32.add (local.get $x) (f32.const 6)) (f32.const 83.33333333)))
                      (i32.const 2))))))))
        (local.set $gv (f32x4.splat (f32.mul (f32.sub (local.get $label) (local.get $sig)) (local.get $lr))))
        ;; grad += g out; out += g in (reading the old out)
        (local.set $c (i32.const 0))
        (block $updated
          (loop $update
            (br_if $updated (i32.ge_u (local.get $c) (local.get $bytes)))
            (local.set $o (v128.load (i32.add (local.get $out) (local.get $c))))
            (v128.store (i32.add (local.get $grad) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $grad) (local.get $c))) (f32x4.mul (local.get $gv) (local.get $o))))
            (v128.store (i32.add (local.get $out) (local.get $c))
              (f32x4.add (local.get $o) (f32x4.mul (local.get $gv) (v128.load (i32.add (local.get $in) (local.get $c))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $update)))
        (local.set $label (f32.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $target)))
    ;; in += grad
    (local.set $c (i32.const 0))
    (block $applied
      (loop $apply
        (br_if $applied (i32.ge_u (local.get $c) (local.get $bytes)))
        (v128.store (i32.add (local.get $in) (local.get $c))
          (f32x4.add (v128.load (i32.add (local.get $in) (local.get $c))) (v128.load (i32.add (local.get $grad) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $apply)))))
