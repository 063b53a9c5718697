#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data.h"
#include "formula.h"
#include "fuzzing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    st_error e = { 0 };
    df_frame *df = NULL;
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    int status = df_parse(&e, "fuzz.csv", buf, size, &df);
    free(buf);
    fuzz_check_error(status, &e);
    if (status == ST_OK) {
        fuzz_touch_frame(df);
        df_free(df);
    }
    return 0;
}
#ifndef FUZZ_LIBFUZZER
int main(int argc, char **argv)
{
    return fuzz_replay(argc, argv, LLVMFuzzerTestOneInput);
}
#endif
