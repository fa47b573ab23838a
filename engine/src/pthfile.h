/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The two container formats of torch.save (pthfile.c). */
#ifndef RFDN_PTHFILE_H
#define RFDN_PTHFILE_H

#include <stddef.h>
#include <stdint.h>

#include "pickle.h"

/* The object a PyTorch file holds, its storages' data resolved (pointers
 * into buf): the zip format (torch >= 1.6: data.pkl plus one stored entry
 * per storage) or the legacy one (a series of pickles followed by the raw
 * storages).  NULL with *why set (or NULL) when it cannot be read. */
pk_val *rfdn_pth_load(pk_vm *m, const uint8_t *buf, size_t size, const char **why);

#endif
