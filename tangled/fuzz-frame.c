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
    const uint8_t *nl = memchr(data, '\n', size);
    if (nl == NULL)
        return 0;
    size_t flen = (size_t)(nl - data), clen = size - flen - 1;
    char *text = malloc(flen + 1), *csv = malloc(clen + 1);
    if (text == NULL || csv == NULL) {
        free(text);
        free(csv);
        return 0;
    }
    memcpy(text, data, flen);
    text[flen] = '\0';
    memcpy(csv, nl + 1, clen);
    st_error e = { 0 };
    frm_formula *f = NULL;
    df_frame *df = NULL;
    int status = frm_parse(&e, text, &f);
    fuzz_check_error(status, &e);
    if (status == ST_OK) {
        status = df_parse(&e, "fuzz.csv", csv, clen, &df);
        fuzz_check_error(status, &e);
        if (status == ST_OK) {
            fuzz_model_frames(f, df);
            df_free(df);
        }
        frm_free(f);
    }
    free(text);
    free(csv);
    return 0;
}
#ifndef FUZZ_LIBFUZZER
int main(int argc, char **argv)
{
    return fuzz_replay(argc, argv, LLVMFuzzerTestOneInput);
}
#endif
