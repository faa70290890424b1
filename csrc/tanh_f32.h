/* tanh of float32 arrays in a loop the compiler vectorizes: x * P(x^2) / Q(x^2), a rational
 * approximation of degrees 5 and 4 in x^2 (odd, so the sign takes care of itself). Its
 * coefficients were fitted here (tools/fit_tanh.py: least squares iterated to the minimax
 * relative error on [0, 9.1], 1.5e-9). Evaluated in float, it is within 6.7 ulp of the exact
 * tanh over every float32 and correctly rounded for 94 % of them (tools/fit_tanh.py --check;
 * tests/test_fused_kernels.py samples it), like TensorFlow's own float tanh. Evaluating it in
 * double would round correctly to 0.53 ulp, at 2.6x the time. libm's tanhf is a branchy
 * scalar call, and NumPy's float32 tanh is that loop unless the CPU has AVX-512: 3 ns an
 * element here, this loop 0.8 ns. From the least float whose tanh rounds to 1 the result is
 * exactly +-1; NaN passes the clamp (its comparisons are false) and comes out NaN.
 *
 * The selects vectorize only without trapping math (setup.py's -fno-trapping-math). With GCC on
 * x86-64 the loop is also compiled for AVX2 and picked at run time. */
#ifndef MINITF_TANH_F32_H
#define MINITF_TANH_F32_H

#include <stddef.h>

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

#define MINITF_TANH_LOOP                              \
    for (ptrdiff_t i = 0; i < n; i++)                 \
        out[i] = minitf_tanh_one(x[i]);

static void minitf_tanh_f32_plain(const float *x, float *out, ptrdiff_t n)
{
    MINITF_TANH_LOOP
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target("avx2")))
static void minitf_tanh_f32_avx2(const float *x, float *out, ptrdiff_t n)
{
    MINITF_TANH_LOOP
}

/* out[i] = tanh(x[i]); out may be x */
static void minitf_tanh_f32(const float *x, float *out, ptrdiff_t n)
{
    static int avx2 = -1;
    if (avx2 < 0) {
        __builtin_cpu_init();
        avx2 = __builtin_cpu_supports("avx2") != 0;
    }
    if (avx2)
        minitf_tanh_f32_avx2(x, out, n);
    else
        minitf_tanh_f32_plain(x, out, n);
}
#else
static void minitf_tanh_f32(const float *x, float *out, ptrdiff_t n)
{
    minitf_tanh_f32_plain(x, out, n);
}
#endif

#endif
