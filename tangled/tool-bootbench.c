#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "boot.h"
#include "data.h"
#include "formula.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: tool-bootbench FORMULA DATA REPLICATES THREADS\n");
        return 2;
    }
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    frm_model *m = NULL;
    boot_result *r = NULL;
    boot_spec spec = { BOOT_PAIRS, atoll(argv[3]), 1, atoi(argv[4]), 0.95, BOOT_F_NONE };
    struct timespec t0, t1;
    int status = frm_parse(&e, argv[1], &f);
    if (status == ST_OK)
        status = df_read(&e, argv[2], &df);
    if (status == ST_OK)
        status = frm_model_frame(&e, f, df, FRM_FIXED_ONLY, &m);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (status == ST_OK)
        status = boot_run(&e, m->X, m->y, m->n, m->p, &spec, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (status == ST_OK) {
        double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        printf("%lld pairs replicates, %d thread%s: %.3f s, %.0f replicates/s\n",
               spec.replicates, spec.threads, spec.threads > 1 ? "s" : "", s,
               (double)spec.replicates / s);
    } else
        fprintf(stderr, "tool-bootbench: %s\n", e.msg);
    boot_result_free(r);
    frm_model_free(m);
    df_free(df);
    frm_free(f);
    return status;
}
