/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GIMP 2.10 implementation of the plug-ins' host interface. */
#ifndef RFDN_HOST2_H
#define RFDN_HOST2_H

#include <libgimp/gimp.h>

#include "plugin-host.h"

/* The handles carry the IDs (GINT_TO_POINTER). */
rfdn_plug_host rfdn_plug_host2(gint32 image, gint32 drawable);

#endif
