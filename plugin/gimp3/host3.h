/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GIMP 3 implementation of the plug-ins' host interface. */
#ifndef RFDN_HOST3_H
#define RFDN_HOST3_H

#include <libgimp/gimp.h>

#include "plugin-host.h"

rfdn_plug_host rfdn_plug_host3(GimpImage *image, GimpDrawable *drawable);

#endif
