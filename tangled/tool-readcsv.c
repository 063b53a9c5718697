#include <stdio.h>
#include <time.h>
#include "data.h"

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    st_error e = { 0 };
    df_frame *df;
    if (argc != 2) {
        fprintf(stderr, "usage: tool-readcsv FILE\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (df_read(&e, argv[1], &df) != ST_OK) {
        fprintf(stderr, "tool-readcsv: %s\n", e.msg);
        return e.status;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%d rows, %d columns, read in %.3f s\n", df->nrow, df->ncol,
           (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    df_free(df);
    return 0;
}
