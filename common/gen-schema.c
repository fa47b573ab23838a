/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes the app's GSettings schema: the template (argv[1]) with its line
 * "@OPTION_KEYS@" replaced by a key for each entry of the settings table
 * (options.h), so the schema's ranges, choices and defaults are the table's.
 *   rfdn-gen-schema TEMPLATE OUTPUT
 */
#include <stdio.h>
#include <string.h>

#include "options.h"

static void write_keys(FILE *o)
{
    for (int id = 0; id < RFDN_OPT_COUNT; id++) {
        const rfdn_option *t = rfdn_option_get(id);
        if (t->choices) {
            fprintf(o, "    <key name=\"%s\" type=\"s\">\n      <choices>", t->key);
            for (int i = 0; t->choices[i]; i++)
                fprintf(o, "<choice value=\"%s\"/>", t->choices[i]);
            fprintf(o, "</choices>\n      <default>'%s'</default>\n", t->choices[t->def]);
        } else {
            fprintf(o, "    <key name=\"%s\" type=\"i\">\n", t->key);
            fprintf(o, "      <range min=\"%d\" max=\"%d\"/>\n", t->min, t->max);
            fprintf(o, "      <default>%d</default>\n", t->def);
        }
        fprintf(o, "      <summary>%s</summary>\n    </key>\n", t->summary);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
    if (!in || !out) {
        perror("rfdn-gen-schema");
        return 1;
    }
    char line[1024];
    int found = 0;
    while (fgets(line, sizeof line, in)) {
        if (strstr(line, "@OPTION_KEYS@")) {
            write_keys(out);
            found = 1;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    return fclose(out) == 0 && found ? 0 : 1;
}
