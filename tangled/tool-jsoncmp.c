#include <stdio.h>
#include <string.h>
#include "compare.h"

static const char usage[] =
    "usage: tool-jsoncmp --case NAME OURS.json REF.json\n"
    "       tool-jsoncmp --tex OURS.json REF.json\n";

int main(int argc, char **argv)
{
    st_error e = { 0 };
    if (argc == 5 && strcmp(argv[1], "--case") == 0)
        {
            cmp_report r = { 0, 0, 0, 0, NULL };
            int status = cmp_files(&e, &r, argv[2], argv[3], argv[4]);
            int failed = r.nfail > 0;
            for (size_t i = 0; i < r.nline; i++)
                puts(r.line[i]);
            cmp_report_free(&r);
            if (status != ST_OK) {
                fprintf(stderr, "tool-jsoncmp: %s\n", e.msg);
                return 2;
            }
            return failed;
        }
    if (argc == 4 && strcmp(argv[1], "--tex") == 0)
        {
            jr_value *ours = NULL, *ref = NULL;
            int status = jr_read(&e, argv[2], &ours);
            if (status == ST_OK)
                status = jr_read(&e, argv[3], &ref);
            if (status == ST_OK && cmp_tex(&e, stdout, ours, ref) != ST_OK) {
                char msg[sizeof e.msg];
                memcpy(msg, e.msg, sizeof msg);
                status = st_fail(&e, ST_EINPUT, "%s, %s: %.900s", argv[2], argv[3], msg);
            }
            if (status == ST_OK && fflush(stdout) != 0)
                status = st_fail(&e, ST_EINPUT, "cannot write the table");
            jr_free(ours);
            jr_free(ref);
            if (status != ST_OK) {
                fprintf(stderr, "tool-jsoncmp: %s\n", e.msg);
                return 2;
            }
            return 0;
        }
    fputs(usage, stderr);
    return 2;
}
