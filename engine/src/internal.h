/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every internal header of the engine at once, for the tests and
 * benchmarks that reach its internals.  The engine's own files include
 * only the headers they use. */
#ifndef RFDN_INTERNAL_H
#define RFDN_INTERNAL_H

#include "alloc.h"
#include "attention.h"
#include "conv.h"
#include "exec.h"
#include "fmap.h"
#include "maps.h"
#include "model.h"
#include "net.h"
#include "par.h"
#include "pool.h"
#include "pth.h"
#include "pthfile.h"
#include "pickle.h"
#include "arena.h"
#include "region.h"
#include "sweep.h"
#include "tiles.h"
#include "transpose.h"

#endif
