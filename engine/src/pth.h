/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PyTorch checkpoints read without Python (pth.c and the files it uses:
 * pthfile.c, pickle.c, arena.c). */
#ifndef RFDN_PTH_H
#define RFDN_PTH_H

#include <stddef.h>
#include <stdint.h>

#include "rfdn.h"

/* A PyTorch state_dict file (legacy or zip format) converted to safetensors
 * bytes (*out, malloc'd, owned by the caller); on failure a message in err.
 * The tensors' bytes are at most the storages' bytes the file holds. */
rfdn_status rfdn_pth_to_safetensors(const uint8_t *buf, size_t size, uint8_t **out,
                                    size_t *out_size, char *err, size_t errn);

#endif
