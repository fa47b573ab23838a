/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rfdn.h - the public API of the RFDN Upscaler engine.
 *
 * The engine runs the super-resolution networks RFDN and E-RFDN ("Residual
 * Feature Distillation Network for Lightweight Image Super-Resolution",
 * AIM 2020) on the CPU.  Plain C11 + pthreads: no GLib, no GTK, so the
 * GIMP 2.10 plug-in (GTK 2), the GIMP 3 plug-in and the GTK 3 app all link it.
 *
 * Objects:
 *   rfdn_model    immutable weights loaded from a model file.  Reference
 *                 counted; once loaded it may be shared by any number of
 *                 contexts on any threads.
 *   rfdn_context  everything one run needs: settings, scratch memory (kept for
 *                 the life of the context so repeated runs do not refault it),
 *                 the last error message.  One run at a time per context;
 *                 rfdn_cancel() is the only function that may be called on a
 *                 context from another thread while it runs.
 *   rfdn_image    a non-owning descriptor of caller-owned pixels.
 *
 * Every function that can fail returns an rfdn_status: 0 is success, negative
 * values are errors, RFDN_CANCELLED (positive) means the caller asked to stop.
 * Errors on a context leave a message readable with rfdn_context_error().
 */
#ifndef RFDN_H
#define RFDN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RFDN_BUILDING_LIBRARY) && defined(__GNUC__)
#define RFDN_API __attribute__((visibility("default")))
#else
#define RFDN_API
#endif

#include "rfdn-version.h" /* RFDN_VERSION_MAJOR, _MINOR, _MICRO (meson makes it) */

typedef enum rfdn_status {
    RFDN_OK = 0,
    RFDN_CANCELLED = 1,                /* stopped by rfdn_cancel() or progress */
    RFDN_ERROR_INVALID_ARGUMENT = -1,  /* a NULL pointer, a bad size or format */
    RFDN_ERROR_IO = -2,                /* a file could not be read */
    RFDN_ERROR_BAD_MODEL = -3,         /* corrupt, truncated or unsupported model */
    RFDN_ERROR_NO_MEMORY = -4,         /* an allocation failed */
    RFDN_ERROR_TOO_LARGE = -5,         /* sizes beyond what the engine accepts */
    RFDN_ERROR_INTERNAL = -6,
} rfdn_status;

/* A static English description of a status.  Any thread. */
RFDN_API const char *rfdn_status_string(rfdn_status status);

/* "major.minor.micro" of the library.  Any thread. */
RFDN_API const char *rfdn_version(void);

/* ------------------------------------------------------------------------ */
/* Models */

typedef struct rfdn_model rfdn_model;

typedef enum rfdn_arch {
    RFDN_ARCH_RFDN = 0,   /* "rfdn":   nf 48, 6 blocks, CCA, block residual */
    RFDN_ARCH_E_RFDN = 1, /* "e-rfdn": nf 50, 4 blocks, ESA, no residual    */
} rfdn_arch;

typedef enum rfdn_attention {
    RFDN_ATTENTION_CCA = 0, /* contrast-aware channel attention */
    RFDN_ATTENTION_ESA = 1, /* enhanced spatial attention */
} rfdn_attention;

typedef struct rfdn_model_info {
    rfdn_arch arch;
    rfdn_attention attention;
    int scale;          /* 2, 3 or 4 */
    int nf;             /* feature channels */
    int blocks;         /* number of RFDB blocks */
    int block_residual; /* 1 when each block adds its input */
    float input_range;  /* 255 (or 1): the value of white at the network input */
    size_t parameters;  /* number of weights and biases */
} rfdn_model_info;

/*
 * Loads a model file (safetensors with the project's __metadata__).  Every
 * tensor's name, dtype (F32, F16 or BF16), shape and offset is checked against
 * the architecture the metadata declares before anything is used.
 *
 * On success *out receives a model with one reference (free it with
 * rfdn_model_unref).  On failure *out is NULL and, when errbuf is not NULL, a
 * NUL-terminated message of at most errbuf_size bytes is written there.
 * Any thread.
 */
RFDN_API rfdn_status rfdn_model_load(const char *path, rfdn_model **out, char *errbuf,
                                     size_t errbuf_size);

/* The same from a file's bytes in memory; the data are copied. */
RFDN_API rfdn_status rfdn_model_load_memory(const void *data, size_t size, rfdn_model **out,
                                            char *errbuf, size_t errbuf_size);

/* Reference counting (atomic; any thread). unref(NULL) does nothing. */
RFDN_API rfdn_model *rfdn_model_ref(rfdn_model *model);
RFDN_API void rfdn_model_unref(rfdn_model *model);

RFDN_API void rfdn_model_get_info(const rfdn_model *model, rfdn_model_info *info);

/*
 * A metadata value from the model file ("architecture", "training_data",
 * "iterations", "psnr_set5", "source", "license", ...), or NULL when absent.
 * The string belongs to the model and lives as long as it.
 */
RFDN_API const char *rfdn_model_get_metadata(const rfdn_model *model, const char *key);

/* ------------------------------------------------------------------------ */
/* Settings */

/* CPU feature levels, for cpu_mask.  The engine uses the best level that the
 * CPU and the OS support and the mask allows.  The environment variable
 * RFDN_CPU_MASK (a number, e.g. 0 for portable C only) overrides the mask. */
enum {
    RFDN_CPU_AVX2 = 1u << 0,   /* AVX2 + FMA */
    RFDN_CPU_AVX512 = 1u << 1, /* AVX-512 F/BW/DQ/VL */
    RFDN_CPU_ALL = ~0u,
};

typedef enum rfdn_alpha_mode {
    RFDN_ALPHA_NETWORK = 0, /* the alpha plane goes through the network too */
    RFDN_ALPHA_BICUBIC = 1, /* alpha upscaled with bicubic interpolation */
} rfdn_alpha_mode;

typedef enum rfdn_log_level {
    RFDN_LOG_ERROR = 0,
    RFDN_LOG_WARNING = 1,
    RFDN_LOG_INFO = 2,
    RFDN_LOG_DEBUG = 3,
} rfdn_log_level;

typedef struct rfdn_settings {
    int threads;           /* worker threads; 0 (default) = all cores */
    int tile_size;         /* input tile edge in pixels; 0 (default) = from memory_budget */
    size_t memory_budget;  /* scratch memory the engine may use; default 1 GiB */
    unsigned cpu_mask;     /* RFDN_CPU_*; default RFDN_CPU_ALL */
    rfdn_alpha_mode alpha; /* default RFDN_ALPHA_NETWORK */
    /* Log messages; called on the thread that calls into the engine.
     * Default NULL (silent). */
    void (*log)(void *user, rfdn_log_level level, const char *message);
    void *log_user;
} rfdn_settings;

/* Fills *settings with the defaults documented above.  Any thread. */
RFDN_API void rfdn_settings_default(rfdn_settings *settings);

/* ------------------------------------------------------------------------ */
/* Contexts */

typedef struct rfdn_context rfdn_context;

/*
 * Creates a context for `model` (the context takes its own reference) with a
 * copy of `settings` (NULL = defaults).  Any thread.
 */
RFDN_API rfdn_status rfdn_context_create(rfdn_model *model, const rfdn_settings *settings,
                                         rfdn_context **out);

/* Frees the context and its scratch memory.  Not while a run is in progress.
 * free(NULL) does nothing. */
RFDN_API void rfdn_context_free(rfdn_context *ctx);

/* The model the context runs (not a new reference). */
RFDN_API const rfdn_model *rfdn_context_get_model(const rfdn_context *ctx);

/* The message of the last error on this context ("" if none).  Valid until the
 * next call on the context.  Thread that owns the context. */
RFDN_API const char *rfdn_context_error(const rfdn_context *ctx);

/*
 * Progress: called on the thread that called rfdn_upscale, at most about 20
 * times a second and once at the end, with work done and total in arbitrary
 * units (done <= total).  Return non-zero to cancel the run.
 */
typedef int (*rfdn_progress_fn)(void *user, uint64_t done, uint64_t total);

/* Sets (or with NULL clears) the progress callback of later runs. */
RFDN_API void rfdn_context_set_progress(rfdn_context *ctx, rfdn_progress_fn fn, void *user);

/*
 * Tiles: called once for each rectangle of the output (x, y, w, h, output
 * pixels) as soon as its pixels are written and final for this run, so a
 * viewer can show a large result as it is made.  Together the rectangles
 * cover the output exactly once.  Called on a worker thread, possibly on
 * several at once: the callback must be thread-safe and quick (copy the
 * rectangle, or note it and wake the UI).  NULL clears it.
 */
typedef void (*rfdn_tile_fn)(void *user, int x, int y, int w, int h);
RFDN_API void rfdn_context_set_tile_callback(rfdn_context *ctx, rfdn_tile_fn fn, void *user);

/*
 * Asks the run in progress on `ctx` to stop as soon as possible; it then
 * returns RFDN_CANCELLED.  Any thread, any time; a cancel that arrives while
 * no run is in progress is forgotten when the next run starts.
 */
RFDN_API void rfdn_cancel(rfdn_context *ctx);

/* ------------------------------------------------------------------------ */
/* Images */

typedef enum rfdn_sample_format {
    RFDN_SAMPLE_U8 = 0,  /* 0..255 */
    RFDN_SAMPLE_U16 = 1, /* 0..65535, native byte order */
    RFDN_SAMPLE_F32 = 2, /* 0.0..1.0 (inputs are clamped to it) */
} rfdn_sample_format;

/*
 * A non-owning view of pixels: interleaved samples, `channels` per pixel:
 * 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.  `stride` is the distance in bytes
 * between the starts of two rows (at least width * channels * sample size).
 * Colour values are gamma-encoded (sRGB-like), as the networks were trained.
 */
typedef struct rfdn_image {
    int width;
    int height;
    int channels;
    rfdn_sample_format format;
    ptrdiff_t stride;
    void *data;
} rfdn_image;

/* The output size for an input size: scale times each side.  Returns
 * RFDN_ERROR_TOO_LARGE when it would not fit the engine's limits. */
RFDN_API rfdn_status rfdn_output_size(const rfdn_model *model, int in_width, int in_height,
                                      int *out_width, int *out_height);

/* Bytes of scratch memory a run on an image of this size will need (not
 * counting the caller's input and output buffers); 0 when the size is
 * invalid.  Thread that owns the context. */
RFDN_API size_t rfdn_context_memory_needed(const rfdn_context *ctx, int in_width, int in_height);

/*
 * Upscales `in` into `out`.  `out` must be scale times `in` in each direction
 * and have the same number of channels; its sample format may differ.  The
 * buffers must not overlap.  Gray is upscaled through the RGB network and
 * returned gray.  On failure or cancellation `out` holds unspecified pixels.
 * Thread that owns the context (one run at a time).  The calling thread runs
 * part of the work itself and needs 1 MiB of free stack (the engine's own
 * worker threads get RFDN_WORKER_STACK).
 */
#define RFDN_WORKER_STACK (4u << 20) /* bytes of stack of each worker thread */

RFDN_API rfdn_status rfdn_upscale(rfdn_context *ctx, const rfdn_image *in,
                                  const rfdn_image *out);

#ifdef __cplusplus
}
#endif

#endif /* RFDN_H */
