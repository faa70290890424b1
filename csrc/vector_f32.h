/* float32 tanh and sigmoid over arrays, in loops the compiler vectorizes (no libm calls, no
 * branches: selects). With GCC on x86-64 each loop is also compiled for AVX2 and picked at run
 * time. The selects vectorize only without trapping math (setup.py's -fno-trapping-math). */
#ifndef MINITF_VECTOR_F32_H
#define MINITF_VECTOR_F32_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* tanh: x * P(x^2) / Q(x^2), a rational approximation of degrees 5 and 4 in x^2 (odd, so the
 * sign takes care of itself). Its coefficients were fitted here (tools/vector_f32.py: least
 * squares iterated to the minimax relative error on [0, 9.1], 1.5e-9). Evaluated in float, it
 * is within 6.7 ulp of the exact tanh over every float32 and correctly rounded for 94 % of them
 * (tools/vector_f32.py --check tanh; tests/test_fused_kernels.py samples it), like
 * TensorFlow's own float tanh. Evaluating it in double would round correctly to 0.53 ulp, at
 * 2.6x the time. libm's tanhf is a branchy scalar call, and NumPy's float32 tanh is that loop
 * unless the CPU has AVX-512: 3 ns an element here, this loop 0.8 ns. From the least float
 * whose tanh rounds to 1 the result is exactly +-1; NaN passes the clamp (its comparisons are
 * false) and comes out NaN. */
static inline float minitf_tanh_one(float x)
{
    const float c = 9.01091385f;  /* the least float whose tanh rounds to 1 */
    float s, p, q, r;
    x = x > c ? c : (x < -c ? -c : x);
    s = x * x;
    p = ((((-1.20335135e-11f * s + 3.03554195e-08f) * s + 2.79119140e-05f) * s
          + 3.86359240e-03f) * s + 1.36761367e-01f) * s + 1.0f;
    q = (((1.28069235e-06f * s + 3.93028196e-04f) * s + 2.72285100e-02f) * s
         + 4.70094681e-01f) * s + 1.0f;
    r = x * p / q;
    r = x == c ? 1.0f : r;
    return x == -c ? -1.0f : r;
}

/* sigmoid: 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, e = exp(-|x|) (never a large
 * exponential; relative accuracy down to the subnormals). exp as NumPy's and libm's compute it:
 * e = 2^n exp(r), n = round(y / ln 2), r = y - n ln 2 in two parts (Cody and Waite), exp(r) by
 * its Taylor polynomial to r^7 (|r| <= 0.35: truncation 5e-9 relative), 2^n built from its bits
 * in two factors (n reaches -150, past the least normal exponent). Within 2.5 ulp of the
 * exact sigmoid over every float32, 95 % correctly rounded (tools/vector_f32.py --check
 * sigmoid), 1 and 0 where it rounds to them; NaN comes out NaN. scipy's expit, a scalar loop,
 * takes 5 ns an element here (and flushes results below 1e-42 to 0); this loop, 1 ns. */
static inline float minitf_pow2(int32_t n)  /* 2^n for -126 <= n <= 127 */
{
    int32_t bits = (n + 127) << 23;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline float minitf_sigmoid_one(float x)
{
    const float magic = 12582912.0f;  /* 1.5 * 2^23: adding it rounds to an integer */
    float a = x < 0 ? -x : x, y, t, n, r, p, e, q;
    int32_t k, k1;
    y = a > 104.0f ? -104.0f : -a;  /* (exp(-104) rounds to 0; NaN passes) */
    t = y * 1.44269504f + magic;
    n = t - magic;
    r = (y - n * 0.693145752f) - n * 1.42860677e-06f;
    p = ((((((1.98412698e-04f * r + 1.38888889e-03f) * r + 8.33333333e-03f) * r
            + 4.16666667e-02f) * r + 1.66666667e-01f) * r + 0.5f) * r + 1.0f) * r + 1.0f;
    k = (int32_t)n;
    k1 = k / 2;
    e = p * minitf_pow2(k1) * minitf_pow2(k - k1);
    q = 1.0f + e;
    return (x >= 0 ? 1.0f : e) / q;
}

/* MINITF_LOOPS(name, one): name(x, out, n) runs out[i] = one(x[i]) (out may be x), compiled
 * plain and, with GCC on x86-64, for AVX2 too, picked at the first call */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MINITF_LOOPS(name, one)                                                   \
    static void name##_plain(const float *x, float *out, ptrdiff_t n)            \
    {                                                                            \
        for (ptrdiff_t i = 0; i < n; i++)                                        \
            out[i] = one(x[i]);                                                  \
    }                                                                            \
    __attribute__((target("avx2")))                                              \
    static void name##_avx2(const float *x, float *out, ptrdiff_t n)             \
    {                                                                            \
        for (ptrdiff_t i = 0; i < n; i++)                                        \
            out[i] = one(x[i]);                                                  \
    }                                                                            \
    static void name(const float *x, float *out, ptrdiff_t n)                    \
    {                                                                            \
        static int avx2 = -1;                                                    \
        if (avx2 < 0) {                                                          \
            __builtin_cpu_init();                                                \
            avx2 = __builtin_cpu_supports("avx2") != 0;                          \
        }                                                                        \
        (avx2 ? name##_avx2 : name##_plain)(x, out, n);                          \
    }
#else
#define MINITF_LOOPS(name, one)                                                   \
    static void name(const float *x, float *out, ptrdiff_t n)                    \
    {                                                                            \
        for (ptrdiff_t i = 0; i < n; i++)                                        \
            out[i] = one(x[i]);                                                  \
    }
#endif

MINITF_LOOPS(minitf_tanh_f32, minitf_tanh_one)
MINITF_LOOPS(minitf_sigmoid_f32, minitf_sigmoid_one)

#endif
