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
    static df_frame *mtcars, *sleep;
    st_error e = { 0 };
    if (mtcars == NULL && (df_read(&e, "mtcars", &mtcars) != ST_OK
                           || df_read(&e, "sleepstudy", &sleep) != ST_OK))
        abort();
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    frm_formula *f = NULL;
    int status = frm_parse(&e, text, &f);
    fuzz_check_error(status, &e);
    if (status == ST_OK) {
        fuzz_model_frames(f, mtcars);
        fuzz_model_frames(f, sleep);
        frm_free(f);
    }
    free(text);
    return 0;
}
#ifndef FUZZ_LIBFUZZER
int main(int argc, char **argv)
{
    return fuzz_replay(argc, argv, LLVMFuzzerTestOneInput);
}
#endif
