/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SIMD convolution, written once for every vector ISA.  The including
 * file defines the vector type and operations (VL floats per vector) and the
 * register blocking (NMAX output channels x NV vectors of pixels), then
 * includes this file, which defines the static function conv_rows() with the
 * signature of rfdn_conv_rows_fn.
 *
 * Direct convolution as a small matrix product per row segment: for NV*VL
 * consecutive output pixels of a row and a block of n output channels, the
 * accumulators stay in registers while the input channels and the k*k taps
 * stream past: each step loads NV pixel vectors (shifted by the tap) and
 * broadcasts n weights for n*NV fused multiply-adds.  Pixels, not channels,
 * fill the vectors, so channel counts like 50 or 25 waste nothing; only the
 * right edge of a row uses masks.  The accumulation order (input channel,
 * then tap row, then tap column) is that of the portable kernel.
 *
 * Required: V, M, VL, NMAX, NV, V_SET1, V_LOAD, V_LOADM, V_STORE, V_STOREM,
 * V_FMA(a, b, c) = a * b + c, V_MUL, V_ADD, V_SUB, V_MAX, V_MIN, V_DIV,
 * V_ROUND (to nearest), V_SCALE2(v, n) = v * 2^n (n integral, in a V),
 * MASK_OF(count) (the first `count` lanes, 0 <= count <= VL).  Defining
 * V_EVEN(a, b) / V_ODD(a, b) (the even / odd elements of the 2*VL floats a:b)
 * and V_ZIP_LO(e, o) / V_ZIP_HI(e, o) (e0 o0 e1 o1 ...: the first and the
 * second VL floats) adds the Winograd path; V_SHIFT1(a, b) (a1 .. a[VL-1] b0)
 * is optional.
 */

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* e^x, |relative error| < 2e-7 for x in [-87, 87] (Cephes' expf polynomial) */
static ALWAYS_INLINE V v_exp(V x)
{
    x = V_MIN(V_MAX(x, V_SET1(-87.0f)), V_SET1(87.0f));
    const V n = V_ROUND(V_MUL(x, V_SET1(1.44269504088896341f)));
    V r = V_SUB(x, V_MUL(n, V_SET1(0.693359375f)));
    r = V_SUB(r, V_MUL(n, V_SET1(-2.12194440e-4f)));
    V p = V_SET1(1.9875691500E-4f);
    p = V_FMA(p, r, V_SET1(1.3981999507E-3f));
    p = V_FMA(p, r, V_SET1(8.3334519073E-3f));
    p = V_FMA(p, r, V_SET1(4.1665795894E-2f));
    p = V_FMA(p, r, V_SET1(1.6666665459E-1f));
    p = V_FMA(p, r, V_SET1(5.0000001201E-1f));
    p = V_FMA(p, V_MUL(r, r), V_ADD(r, V_SET1(1.0f)));
    return V_SCALE2(p, n);
}

static ALWAYS_INLINE V epilogue(V o, rfdn_epilogue ep, const float *a, bool masked, M m)
{
    const V slope = V_SET1(RFDN_LRELU_SLOPE);
    V av = V_SET1(0.0f);
    if (ep != RFDN_EP_NONE && ep != RFDN_EP_LRELU)
        av = masked ? V_LOADM(a, m) : V_LOAD(a);
    switch (ep) {
    case RFDN_EP_NONE:
        return o;
    case RFDN_EP_LRELU:
        return V_MAX(o, V_MUL(o, slope));
    case RFDN_EP_ADD:
        return V_ADD(o, av);
    case RFDN_EP_ADD_LRELU:
        o = V_ADD(o, av);
        return V_MAX(o, V_MUL(o, slope));
    case RFDN_EP_SIGMOID_MUL:
        return V_DIV(av, V_ADD(V_SET1(1.0f), v_exp(V_SUB(V_SET1(0.0f), o))));
    }
    return o;
}

/* One row segment of NV*VL pixels starting at x0, one block of N output
 * channels from co0.  K, N and MASKED are constants after inlining. */
static ALWAYS_INLINE void segment(const float *wb, const float *bias, const int K, const int N,
                                  const bool MASKED, const M *mk, const rfdn_fmap *in,
                                  const rfdn_fmap *out, int co0, int y, int x0,
                                  rfdn_epilogue ep, const rfdn_fmap *aux)
{
    const int pad = K / 2, cin = in->c;
    V acc[NMAX][NV];
#pragma GCC unroll 8
    for (int c = 0; c < N; c++)
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++)
            acc[c][j] = V_SET1(bias[c]);

    /* The taps as offsets, one simple loop over (input channel, tap): a loop
     * body the compiler keeps entirely in registers (unrolling the taps made
     * GCC shuffle and spill the accumulators). */
    ptrdiff_t toff[9];
    for (int t = 0; t < K * K; t++)
        toff[t] = (ptrdiff_t)(t / K) * in->rs + t % K;
    const float *ib = in->p + (ptrdiff_t)(y - pad) * in->rs + (x0 - pad);
    const float *wt = wb;
    for (int ci = 0; ci < cin; ci++, ib += in->cs) {
#pragma GCC unroll 1
        for (int t = 0; t < K * K; t++, wt += N) {
            const float *src = ib + toff[t];
            if (K == 1) /* the same columns two rows down, into L2 */
#pragma GCC unroll 8
                for (int j = 0; j <= NV; j++)
                    _mm_prefetch((const char *)(src + 2 * in->rs + j * VL), _MM_HINT_T1);
            V px[NV];
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++)
                px[j] = MASKED ? V_LOADM(src + j * VL, mk[j]) : V_LOAD(src + j * VL);
#pragma GCC unroll 8
            for (int c = 0; c < N; c++) {
                const V wv = V_SET1(wt[c]);
#pragma GCC unroll 8
                for (int j = 0; j < NV; j++)
                    acc[c][j] = V_FMA(wv, px[j], acc[c][j]);
            }
        }
    }

#pragma GCC unroll 8
    for (int c = 0; c < N; c++) {
        float *o = out->p + (size_t)(co0 + c) * out->cs + (ptrdiff_t)y * out->rs + x0;
        const float *a =
            aux ? aux->p + (size_t)(co0 + c) * aux->cs + (ptrdiff_t)y * aux->rs + x0 : NULL;
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++) {
            const V r =
                epilogue(acc[c][j], ep, a ? a + j * VL : NULL, MASKED, MASKED ? mk[j] : mk[0]);
            if (MASKED)
                V_STOREM(o + j * VL, mk[j], r);
            else
                V_STORE(o + j * VL, r);
        }
    }
}

typedef void (*segment_fn)(const float *, const float *, const M *, const rfdn_fmap *,
                           const rfdn_fmap *, int, int, int, rfdn_epilogue, const rfdn_fmap *);

#define SEGMENT_FN(K, N, MASKED)                                                             \
    static void seg_##K##_##N##_##MASKED(const float *wb, const float *bias, const M *mk,   \
                                         const rfdn_fmap *in, const rfdn_fmap *out, int co0, \
                                         int y, int x0, rfdn_epilogue ep,                    \
                                         const rfdn_fmap *aux)                               \
    {                                                                                        \
        segment(wb, bias, K, N, MASKED, mk, in, out, co0, y, x0, ep, aux);                   \
    }
#define SEGMENT_ALL(N)                                                                       \
    SEGMENT_FN(1, N, 0) SEGMENT_FN(1, N, 1) SEGMENT_FN(3, N, 0) SEGMENT_FN(3, N, 1)

/* seg_table[k == 3][masked][n - 1] */
#define SEG_ENTRY(K, MASKED, N) [K / 3][MASKED][N - 1] = seg_##K##_##N##_##MASKED,
#define SEG_ENTRIES(N)                                                                       \
    SEG_ENTRY(1, 0, N) SEG_ENTRY(1, 1, N) SEG_ENTRY(3, 0, N) SEG_ENTRY(3, 1, N)

SEGMENT_ALL(1)
SEGMENT_ALL(2)
SEGMENT_ALL(3)
SEGMENT_ALL(4)
#if NMAX >= 5
SEGMENT_ALL(5)
#endif
#if NMAX >= 6
SEGMENT_ALL(6)
#endif
#if NMAX >= 7
SEGMENT_ALL(7)
#endif
#if NMAX >= 8
SEGMENT_ALL(8)
#endif
#if NMAX > 8
#error "NMAX > 8: add segment functions"
#endif

static const segment_fn seg_table[2][2][NMAX] = {
    SEG_ENTRIES(1) SEG_ENTRIES(2) SEG_ENTRIES(3) SEG_ENTRIES(4)
#if NMAX >= 5
    SEG_ENTRIES(5)
#endif
#if NMAX >= 6
    SEG_ENTRIES(6)
#endif
#if NMAX >= 7
    SEG_ENTRIES(7)
#endif
#if NMAX >= 8
    SEG_ENTRIES(8)
#endif
};

static void conv_rows(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                      int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    const int w = out->w, step = NV * VL, k3 = pc->cv->k == 3;
    for (int y = y0; y < y1; y++)
        for (int x0 = 0; x0 < w; x0 += step) {
            const int rem = w - x0;
            const int masked = rem < step;
            M mk[NV];
            for (int j = 0; j < NV; j++) {
                int c = rem - j * VL;
                mk[j] = MASK_OF(c < 0 ? 0 : c > VL ? VL : c);
            }
            for (int b = 0; b < pc->nblk; b++) {
                const int co0 = pc->blk_co[b];
                seg_table[k3][masked][pc->blk_n[b] - 1](pc->w + pc->blk_off[b],
                                                        pc->cv->b + co0, mk, in, out, co0, y,
                                                        x0, ep, aux);
            }
        }
}

#ifdef V_EVEN
/* ------------------------------------------------------------------------ */
/* Winograd F(2x2, 3x3): each 2x2 output tile from a 4x4 input tile with 16
 * multiplications per channel pair instead of 36.  Tiles are anchored at
 * even rows and columns of the image, whatever rows a call computes, so the
 * result never depends on how rows are split between threads.
 *
 * Per pair of output rows and segment of WT tiles: (1) the input tiles of
 * every channel are transformed (V = B^T d B) into vb[16][cin][WT]; (2) for
 * each of the 16 points, a 1x1 convolution cin -> cout over the tiles (the
 * same register-blocked kernel as above) gives mb[16][cout][WT]; (3) the
 * output transform (Y = A^T m A), the bias and the epilogue write the rows. */

#define WT (NV * VL) /* tiles per segment */

/* VL floats of a row from column x (>= -1); columns beyond w read as 0 */
static inline V load_cols(const float *row, int x, int w)
{
    const int n = w + 1 - x;
    return V_LOADM(row + x, MASK_OF(n <= 0 ? 0 : n > VL ? VL : n));
}

/* Input rows py-1 .. py+n-2 of channel ci for a row of Winograd tiles; NULL
 * past row h (rows -1 and h are the zero halo the fmap keeps). */
static inline void tile_rows(const rfdn_fmap *in, int ci, int py, int n, int h,
                             const float **rows)
{
    for (int i = 0; i < n; i++) {
        const int r = py - 1 + i;
        rows[i] = r <= h ? in->p + (size_t)ci * in->cs + (ptrdiff_t)r * in->rs : NULL;
    }
}

/* F(2x2) step 1, the input transform: channel ci of tiles t0 .. t0+WT-1
 * of the tile row at py into vb (16 points x cin x WT). */
static inline void wino2_input(const rfdn_fmap *in, int ci, int py, int t0, int w, int h,
                               float *vb)
{
    const int cin = in->c;
    const float *rows[4];
    tile_rows(in, ci, py, 4, h, rows);
    for (int j = 0; j < NV; j++) {
        const int x = 2 * (t0 + j * VL) - 1;
        V t[4][4];
        for (int i = 0; i < 4; i++) {
            V d0, d1, d2, d3;
            if (rows[i] && x <= w) {
                const V a = load_cols(rows[i], x, w);
                const V b = load_cols(rows[i], x + VL, w);
                const V c = load_cols(rows[i], x + 2, w);
                const V d = load_cols(rows[i], x + VL + 2, w);
                d0 = V_EVEN(a, b);
                d1 = V_ODD(a, b);
                d2 = V_EVEN(c, d);
                d3 = V_ODD(c, d);
            } else {
                d0 = d1 = d2 = d3 = V_SET1(0.0f);
            }
            t[i][0] = V_SUB(d0, d2);
            t[i][1] = V_ADD(d1, d2);
            t[i][2] = V_SUB(d2, d1);
            t[i][3] = V_SUB(d1, d3);
        }
        for (int l = 0; l < 4; l++) {
            const V v[4] = {V_SUB(t[0][l], t[2][l]), V_ADD(t[1][l], t[2][l]),
                            V_SUB(t[2][l], t[1][l]), V_SUB(t[1][l], t[3][l])};
            for (int k = 0; k < 4; k++)
                V_STORE(vb + ((size_t)(k * 4 + l) * cin + ci) * WT + j * VL, v[k]);
        }
    }
}

/* F(2x2) step 3, the output transform of channel co from the products mb,
 * with bias and epilogue, into the rows of [y0, y1) of the tile row at py. */
static inline void wino2_output(const rfdn_pconv *pc, const rfdn_fmap *out, int co,
                                const float *mb, int py, int t0, int nt, int y0, int y1,
                                rfdn_epilogue ep, const rfdn_fmap *aux)
{
    const int cout = out->c, w = out->w, h = out->h, xo = 2 * t0;
    const V bias = V_SET1(pc->cv->b[co]);
    for (int j = 0; j < NV && j * VL < nt; j++) {
        V m[4][4], s0[4], s1[4];
        for (int q = 0; q < 16; q++)
            m[q / 4][q % 4] = V_LOAD(mb + ((size_t)q * cout + co) * WT + j * VL);
        for (int k = 0; k < 4; k++) {
            s0[k] = V_ADD(V_ADD(m[k][0], m[k][1]), m[k][2]);
            s1[k] = V_SUB(V_SUB(m[k][1], m[k][2]), m[k][3]);
        }
        const V y00 = V_ADD(V_ADD(V_ADD(s0[0], s0[1]), s0[2]), bias);
        const V y01 = V_ADD(V_ADD(V_ADD(s1[0], s1[1]), s1[2]), bias);
        const V y10 = V_ADD(V_SUB(V_SUB(s0[1], s0[2]), s0[3]), bias);
        const V y11 = V_ADD(V_SUB(V_SUB(s1[1], s1[2]), s1[3]), bias);
        for (int r = 0; r < 2; r++) {
            const int y = py + r;
            if (y < y0 || y >= y1 || y >= h)
                continue;
            const V e = r ? y10 : y00, o = r ? y11 : y01;
            const V half[2] = {V_ZIP_LO(e, o), V_ZIP_HI(e, o)};
            float *orow = out->p + (size_t)co * out->cs + (ptrdiff_t)y * out->rs;
            const float *arow =
                aux ? aux->p + (size_t)co * aux->cs + (ptrdiff_t)y * aux->rs : NULL;
            for (int hh = 0; hh < 2; hh++) {
                const int x = xo + 2 * j * VL + hh * VL;
                const int n = w - x;
                if (n <= 0)
                    break;
                const M mk = MASK_OF(n > VL ? VL : n);
                const V res = epilogue(half[hh], ep, arow ? arow + x : NULL, true, mk);
                V_STOREM(orow + x, mk, res);
            }
        }
    }
}

static void wino_rows(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                      int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    float vb[16 * RFDN_WINO_MAX_C * WT] __attribute__((aligned(64)));
    float mb[16 * RFDN_WINO_MAX_C * WT] __attribute__((aligned(64)));
    const int cin = in->c, cout = out->c, w = out->w, h = out->h;
    const int ntw = (w + 1) / 2;

    for (int py = y0 & ~1; py < y1; py += 2) {
        for (int t0 = 0; t0 < ntw; t0 += WT) {
            const int nt = ntw - t0 < WT ? ntw - t0 : WT;
            for (int ci = 0; ci < cin; ci++) /* (1) input transform */
                wino2_input(in, ci, py, t0, w, h, vb);
            /* (2) the 16 products */
            for (int p = 0; p < 16; p++) {
                const rfdn_fmap vi = {vb + (size_t)p * cin * WT, cin, 1, nt, WT, WT};
                const rfdn_fmap mo = {mb + (size_t)p * cout * WT, cout, 1, nt, WT, WT};
                conv_rows(&pc->wino[p], &vi, &mo, 0, 1, RFDN_EP_NONE, NULL);
            }
            /* (3) output transform, bias, epilogue */
            for (int co = 0; co < cout; co++)
                wino2_output(pc, out, co, mb, py, t0, nt, y0, y1, ep, aux);
        }
    }
}

#ifdef NVP
/* ------------------------------------------------------------------------ */
/* Winograd F(4x4, 3x3): each 4x4 output tile from a 6x6 input tile with 36
 * multiplications per channel pair instead of 144 (F(2x2) needs 64 for the
 * same 16 outputs).  Tiles are anchored at rows and columns that are
 * multiples of 4, whatever rows a call computes.  Same three steps as F(2x2),
 * on segments of WT4 = NVP * VL tiles (4 * WT4 output columns), with products
 * of their own register blocking: NVP vectors x up to NMAXP output channels
 * (the tiles of a segment are always computed whole: the input transform
 * writes zeros past the image, and those results are never stored).
 *
 * B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0;
 *        0 2 -1 -2 1 0; 0 4 0 -5 0 1],
 * A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]. */

#define WT4 (NVP * VL)

/* V = B^T d for six values (one row or one column of a tile) */
static ALWAYS_INLINE void bt6(const V d[6], V v[6])
{
    const V four = V_SET1(4.0f), two = V_SET1(2.0f);
    const V a = V_SUB(d[4], d[2]);            /* d4 - d2 */
    const V b = V_MUL(V_SUB(d[3], d[1]), two); /* 2 (d3 - d1) */
    v[0] = V_ADD(V_FMA(four, d[0], V_MUL(V_SET1(-5.0f), d[2])), d[4]);
    v[1] = V_FMA(V_SET1(-4.0f), V_ADD(d[1], d[2]), V_ADD(d[3], d[4]));
    v[2] = V_FMA(four, V_SUB(d[1], d[2]), V_SUB(d[4], d[3]));
    v[3] = V_ADD(a, b);
    v[4] = V_SUB(a, b);
    v[5] = V_ADD(V_FMA(four, d[1], V_MUL(V_SET1(-5.0f), d[3])), d[5]);
}

/* y = A^T m for six values */
static ALWAYS_INLINE void at6(const V m[6], V y[4])
{
    const V s12 = V_ADD(m[1], m[2]), d12 = V_SUB(m[1], m[2]);
    const V s34 = V_ADD(m[3], m[4]), d34 = V_SUB(m[3], m[4]);
    y[0] = V_ADD(V_ADD(m[0], s12), s34);
    y[1] = V_FMA(V_SET1(2.0f), d34, d12);
    y[2] = V_FMA(V_SET1(4.0f), s34, s12);
    y[3] = V_ADD(V_FMA(V_SET1(8.0f), d34, d12), m[5]);
}

/* The products of one point: N output channels of the block, all WT4 tiles,
 * from cin input channels: dst[c][WT4] = sum_ci w[ci][c] src[ci][WT4]. */
static ALWAYS_INLINE void prod_block(const float *w, const float *src, float *dst, int cin,
                                     const int N)
{
    V acc[NMAXP][NVP];
#pragma GCC unroll 16
    for (int c = 0; c < N; c++)
#pragma GCC unroll 4
        for (int j = 0; j < NVP; j++)
            acc[c][j] = V_SET1(0.0f);
    for (int ci = 0; ci < cin; ci++, src += WT4, w += N) {
        V px[NVP];
#pragma GCC unroll 4
        for (int j = 0; j < NVP; j++)
            px[j] = V_LOAD(src + j * VL);
#pragma GCC unroll 16
        for (int c = 0; c < N; c++) {
            const V wv = V_SET1(w[c]);
#pragma GCC unroll 4
            for (int j = 0; j < NVP; j++)
                acc[c][j] = V_FMA(wv, px[j], acc[c][j]);
        }
    }
#pragma GCC unroll 16
    for (int c = 0; c < N; c++)
#pragma GCC unroll 4
        for (int j = 0; j < NVP; j++)
            V_STORE(dst + (size_t)c * WT4 + j * VL, acc[c][j]);
}

typedef void (*prod_fn)(const float *, const float *, float *, int);
#define PROD_FN(N)                                                                           \
    static void prod_##N(const float *w, const float *src, float *dst, int cin)              \
    {                                                                                        \
        prod_block(w, src, dst, cin, N);                                                     \
    }
PROD_FN(1)
PROD_FN(2)
PROD_FN(3)
PROD_FN(4)
#if NMAXP >= 6
PROD_FN(5)
PROD_FN(6)
#endif
#if NMAXP >= 12
PROD_FN(7)
PROD_FN(8)
PROD_FN(9)
PROD_FN(10)
PROD_FN(11)
PROD_FN(12)
#endif
#if NMAXP != 4 && NMAXP != 6 && NMAXP != 12
#error "NMAXP: 4, 6 or 12"
#endif
static const prod_fn prod_table[NMAXP] = {
    prod_1, prod_2, prod_3, prod_4,
#if NMAXP >= 6
    prod_5, prod_6,
#endif
#if NMAXP >= 12
    prod_7, prod_8, prod_9, prod_10, prod_11, prod_12,
#endif
};

/* d[k] = row[x + 4 l + k] for the VL lanes l, k = 0..5 (columns past w read
 * as 0) */
static ALWAYS_INLINE void load_tile_row(const float *row, int x, int w, V d[6])
{
    const V a = load_cols(row, x, w), b = load_cols(row, x + VL, w);
    const V c = load_cols(row, x + 2 * VL, w), e = load_cols(row, x + 3 * VL, w);
    const V ea = V_EVEN(a, b), oa = V_ODD(a, b), ec = V_EVEN(c, e), oc = V_ODD(c, e);
    d[0] = V_EVEN(ea, ec);
    d[1] = V_EVEN(oa, oc);
    d[2] = V_ODD(ea, ec);
    d[3] = V_ODD(oa, oc);
#ifdef V_SHIFT1
    /* columns 4 and 5 of tile l are columns 0 and 1 of tile l + 1 */
    d[4] = V_SHIFT1(d[0], load_cols(row, x + 4 * VL, w));
    d[5] = V_SHIFT1(d[1], load_cols(row, x + 4 * VL + 1, w));
#else
    const V a4 = load_cols(row, x + 4, w), b4 = load_cols(row, x + 4 + VL, w);
    const V c4 = load_cols(row, x + 4 + 2 * VL, w), e4 = load_cols(row, x + 4 + 3 * VL, w);
    d[4] = V_EVEN(V_EVEN(a4, b4), V_EVEN(c4, e4));
    d[5] = V_EVEN(V_ODD(a4, b4), V_ODD(c4, e4));
#endif
}

/* Output transform of one segment (tiles t0 ..), bias and epilogue EP, into
 * the rows of [y0, y1) among py .. py + 3. */
static ALWAYS_INLINE void wino4_out(const rfdn_pconv *pc, const float *mb, const rfdn_fmap *out,
                                   const rfdn_fmap *aux, int py, int t0, int y0, int y1,
                                   const rfdn_epilogue EP)
{
    const int cout = out->c, w = out->w, h = out->h;
    for (int j = 0; j < NVP; j++) {
        const int xo = 4 * (t0 + j * VL);
        if (xo >= w)
            break;
        M mk[4]; /* the 4 VL columns from xo that exist */
        for (int k = 0; k < 4; k++) {
            const int n = w - xo - k * VL;
            mk[k] = MASK_OF(n <= 0 ? 0 : n > VL ? VL : n);
        }
        const bool full = w - xo >= 4 * VL;
        for (int co = 0; co < cout; co++) {
            const V bias = V_SET1(pc->cv->b[co]);
            /* the next row of tiles' output lines, for writing */
            for (int r = py + 4; r < py + 8 && r < h; r++)
                for (int k = 0; k <= 4 * VL; k += 16)
                    __builtin_prefetch(out->p + (size_t)co * out->cs + (ptrdiff_t)r * out->rs +
                                           xo + k,
                                       1, 2);
            V s[4][6]; /* A^T m, per column of the tile */
            for (int l = 0; l < 6; l++) {
                V m[6], y[4];
                for (int i = 0; i < 6; i++)
                    m[i] = V_LOAD(mb + ((size_t)(i * 6 + l) * cout + co) * WT4 + j * VL);
                at6(m, y);
                for (int r = 0; r < 4; r++)
                    s[r][l] = y[r];
            }
            for (int r = 0; r < 4; r++) {
                const int y = py + r;
                if (y < y0 || y >= y1 || y >= h)
                    continue;
                V c[4];
                at6(s[r], c);
                for (int k = 0; k < 4; k++)
                    c[k] = V_ADD(c[k], bias);
                /* columns 4l + k: interleave c0 c1 c2 c3 */
                const V lo02 = V_ZIP_LO(c[0], c[2]), hi02 = V_ZIP_HI(c[0], c[2]);
                const V lo13 = V_ZIP_LO(c[1], c[3]), hi13 = V_ZIP_HI(c[1], c[3]);
                const V q[4] = {V_ZIP_LO(lo02, lo13), V_ZIP_HI(lo02, lo13),
                                V_ZIP_LO(hi02, hi13), V_ZIP_HI(hi02, hi13)};
                float *orow = out->p + (size_t)co * out->cs + (ptrdiff_t)y * out->rs + xo;
                const float *arow =
                    aux ? aux->p + (size_t)co * aux->cs + (ptrdiff_t)y * aux->rs + xo : NULL;
                if (full) {
                    for (int k = 0; k < 4; k++)
                        V_STORE(orow + k * VL,
                                epilogue(q[k], EP, arow ? arow + k * VL : NULL, false, mk[0]));
                } else {
                    for (int k = 0; k < 4; k++)
                        V_STOREM(orow + k * VL, mk[k],
                                 epilogue(q[k], EP, arow ? arow + k * VL : NULL, true, mk[k]));
                }
            }
        }
    }
}

static void wino4_rows(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out, int y0,
                       int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
    /* rfdn.h promises that a caller with 1 MiB of free stack is enough */
    _Static_assert(2 * 36 * RFDN_WINO_MAX_C * WT4 * sizeof(float) <= 768 * 1024 &&
                       2 * 16 * RFDN_WINO_MAX_C * WT * sizeof(float) <= 768 * 1024,
                   "Winograd tiles on the stack");
    float vb[36 * RFDN_WINO_MAX_C * WT4] __attribute__((aligned(64)));
    float mb[36 * RFDN_WINO_MAX_C * WT4] __attribute__((aligned(64)));
    const int cin = in->c, cout = out->c, w = out->w, h = out->h;
    const int ntw = (w + 3) / 4;

    for (int py = y0 & ~3; py < y1 && py < h; py += 4) {
        for (int t0 = 0; t0 < ntw; t0 += WT4) {
            /* (1) input transform */
            for (int ci = 0; ci < cin; ci++) {
                const float *rows[6];
                tile_rows(in, ci, py, 6, h, rows);
                /* the four rows the next row of tiles adds, into L2: the
                 * map comes from the slower L3 at best */
                for (int r = py + 5; r <= py + 8 && r <= h; r++) {
                    const float *pr = in->p + (size_t)ci * in->cs + (ptrdiff_t)r * in->rs +
                                      4 * t0 - 1;
                    for (int k = 0; k <= 4 * WT4; k += 16)
                        _mm_prefetch((const char *)(pr + k), _MM_HINT_T1);
                }
                for (int j = 0; j < NVP; j++) {
                    const int x = 4 * (t0 + j * VL) - 1;
                    V t[6][6];
                    for (int i = 0; i < 6; i++) {
                        if (rows[i] && x <= w) {
                            V d[6];
                            load_tile_row(rows[i], x, w, d);
                            bt6(d, t[i]);
                        } else {
                            for (int l = 0; l < 6; l++)
                                t[i][l] = V_SET1(0.0f);
                        }
                    }
                    for (int l = 0; l < 6; l++) {
                        const V c[6] = {t[0][l], t[1][l], t[2][l], t[3][l], t[4][l], t[5][l]};
                        V v[6];
                        bt6(c, v);
                        for (int k = 0; k < 6; k++)
                            V_STORE(vb + ((size_t)(k * 6 + l) * cin + ci) * WT4 + j * VL, v[k]);
                    }
                }
            }
            /* (2) the 36 products */
            for (int p = 0; p < 36; p++) {
                const rfdn_pconv *q = &pc->wino[p];
                const float *src = vb + (size_t)p * cin * WT4;
                float *dst = mb + (size_t)p * cout * WT4;
                for (int b = 0; b < q->nblk; b++)
                    prod_table[q->blk_n[b] - 1](q->w + q->blk_off[b], src,
                                                dst + (size_t)q->blk_co[b] * WT4, cin);
            }
            /* (3) output transform, bias, epilogue */
            switch (ep) { /* one copy of the loops per epilogue */
            case RFDN_EP_NONE:
                wino4_out(pc, mb, out, aux, py, t0, y0, y1, RFDN_EP_NONE);
                break;
            case RFDN_EP_LRELU:
                wino4_out(pc, mb, out, aux, py, t0, y0, y1, RFDN_EP_LRELU);
                break;
            case RFDN_EP_ADD:
                wino4_out(pc, mb, out, aux, py, t0, y0, y1, RFDN_EP_ADD);
                break;
            case RFDN_EP_ADD_LRELU:
                wino4_out(pc, mb, out, aux, py, t0, y0, y1, RFDN_EP_ADD_LRELU);
                break;
            case RFDN_EP_SIGMOID_MUL:
                wino4_out(pc, mb, out, aux, py, t0, y0, y1, RFDN_EP_SIGMOID_MUL);
                break;
            }
        }
    }
}
#endif /* NVP */
#endif

static void conv_rows_any(const rfdn_pconv *pc, const rfdn_fmap *in, const rfdn_fmap *out,
                          int y0, int y1, rfdn_epilogue ep, const rfdn_fmap *aux)
{
#ifdef V_EVEN
#ifdef NVP
    if (pc->wino && pc->wino_m == 4) {
        wino4_rows(pc, in, out, y0, y1, ep, aux);
        return;
    }
#endif
    if (pc->wino) {
        wino_rows(pc, in, out, y0, y1, ep, aux);
        return;
    }
#endif
    conv_rows(pc, in, out, y0, y1, ep, aux);
}
