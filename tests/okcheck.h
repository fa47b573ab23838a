/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks of the front-end tests: every check printed as "ok" or
 * "FAIL" with what it checks (the way the shell tests report), the
 * failures counted for the exit status.  (The engine tests use
 * testutil.h's, which print only failures.) */
#ifndef RFDN_OKCHECK_H
#define RFDN_OKCHECK_H

#include <stdio.h>

static int fails;
/* `c` is evaluated once (it may allocate) */
#define CHECK(c, ...)                                                                      \
    do {                                                                                   \
        const int ok_ = (c);                                                               \
        printf("%s ", ok_ ? "ok  " : "FAIL");                                              \
        printf(__VA_ARGS__);                                                               \
        printf("\n");                                                                      \
        fails += !ok_;                                                                     \
    } while (0)

#endif
