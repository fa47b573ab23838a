/* SPDX-License-Identifier: GPL-3.0-or-later */
/* load_models FILE...: loads each model file and prints one line per file,
 * "ok" or "error: MESSAGE" (used by test_pth.py to feed many damaged files
 * to the loader in one process; the sanitizers catch any bad access). */
#include <stdio.h>

#include "rfdn.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char err[512];
        rfdn_model *m = NULL;
        rfdn_status st = rfdn_model_load(argv[i], &m, err, sizeof err);
        if (st == RFDN_OK)
            printf("ok\n");
        else
            printf("error: %s\n", err[0] ? err : "(no message)");
        if ((st == RFDN_OK) != (m != NULL) || (st != RFDN_OK && !err[0])) {
            fprintf(stderr, "%s: status and result disagree\n", argv[i]);
            return 1;
        }
        rfdn_model_unref(m);
    }
    return 0;
}
