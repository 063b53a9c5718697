#ifndef FUZZING_H
#define FUZZING_H
#include <stddef.h>
#include <stdint.h>
#include "data.h"
#include "formula.h"

/* Return if status is ST_OK or an error that keeps the contract (ST_EINPUT, ST_EFIT or
   ST_ENOMEM, a message of one line of printable bytes, neither empty nor filling the buffer);
   else print the message and abort. */
void fuzz_check_error(int status, const st_error *e);
/* Read every cell of df, so that the sanitizer sees a bad column; abort on a level code out
   of range. */
void fuzz_touch_frame(const df_frame *df);
/* Build the model frames of f on df with each set of flags, check their errors and read
   their cells. */
void fuzz_model_frames(const frm_formula *f, const df_frame *df);
/* Hand target the bytes of each file named in argv[1..argc-1], or of each file in a
   directory named there; the exit status: 1 if a file could not be read. */
int fuzz_replay(int argc, char **argv, int (*target)(const uint8_t *, size_t));
#endif
