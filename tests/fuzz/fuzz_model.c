/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: a model file's bytes (safetensors, or a PyTorch
 * checkpoint in zip or legacy pickle format, which the loader converts)
 * through rfdn_model_load_memory(), and when they load, a tiny upscale with
 * them, so the JSON, pickle and zip readers, the tensor checks and the
 * network's use of whatever shapes pass are all searched.
 *   meson setup build-fuzz -Dfuzz=true ... (see tests/fuzz/README.md)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rfdn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rfdn_model *m = NULL;
    char err[256];
    if (rfdn_model_load_memory(data, size, &m, err, sizeof err) != RFDN_OK)
        return 0;
    rfdn_model_info info;
    rfdn_model_get_info(m, &info);
    rfdn_settings s;
    rfdn_settings_default(&s);
    s.threads = 1;
    rfdn_context *ctx = NULL;
    if (rfdn_context_create(m, &s, &ctx) == RFDN_OK) {
        enum { W = 5, H = 3 };
        uint8_t in[W * H * 4], out[W * 4 * H * 4 * 4];
        for (size_t i = 0; i < sizeof in; i++)
            in[i] = (uint8_t)(i * 37);
        const int sc = info.scale;
        if (sc >= 1 && sc <= 4) {
            const rfdn_image i = {W, H, 4, RFDN_SAMPLE_U8, W * 4, in};
            const rfdn_image o = {W * sc, H * sc, 4, RFDN_SAMPLE_U8, (ptrdiff_t)W * sc * 4, out};
            rfdn_upscale(ctx, &i, &o);
        }
        rfdn_context_free(ctx);
    }
    rfdn_model_unref(m);
    return 0;
}
