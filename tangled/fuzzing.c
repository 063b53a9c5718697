#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include "fuzzing.h"

void fuzz_check_error(int status, const st_error *e)
{
    if (status == ST_OK)
        return;
    size_t n = strnlen(e->msg, sizeof e->msg);
    int bad = (status != ST_EINPUT && status != ST_EFIT && status != ST_ENOMEM) || n == 0
              || n == sizeof e->msg;
    for (size_t i = 0; i < n && !bad; i++) {
        unsigned char c = (unsigned char)e->msg[i];
        bad = c < 32 || c == 127;
    }
    if (bad) {
        fprintf(stderr, "fuzz: an error breaks the contract (status %d): ", status);
        fwrite(e->msg, 1, n, stderr);
        fputc('\n', stderr);
        abort();
    }
}
void fuzz_touch_frame(const df_frame *df)
{
    volatile double sink = 0;
    for (int j = 0; j < df->ncol; j++) {
        const df_column *c = &df->col[j];
        sink += (double)strlen(c->name);
        for (int i = 0; i < df->nrow; i++) {
            if (c->kind == DF_NUMERIC)
                sink += c->num[i];
            else if (c->code[i] >= 0) {
                if (c->code[i] >= c->nlevels)
                    abort();
                sink += (double)strlen(c->levels[c->code[i]]);
            }
        }
    }
    (void)sink;
}
void fuzz_model_frames(const frm_formula *f, const df_frame *df)
{
    static const int flags[] = { FRM_FIXED_ONLY, FRM_NEED_RANDOM, FRM_BINOMIAL };
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        st_error e = { 0 };
        frm_model *m = NULL;
        int status = frm_model_frame(&e, f, df, flags[k], &m);
        fuzz_check_error(status, &e);
        if (status == ST_OK) {
            volatile double sink = 0;
            for (size_t i = 0; i < (size_t)m->n * (size_t)m->p; i++)
                sink += m->X[i];
            for (int j = 0; j < m->p; j++)
                sink += (double)strlen(m->colnames[j]);
            (void)sink;
            frm_model_free(m);
        }
    }
}
static int fuzz_replay_file(const char *path, int (*target)(const uint8_t *, size_t))
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "fuzz: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (k = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += k;
        if (len == cap) {
            uint8_t *more = realloc(buf, cap *= 2);
            if (more == NULL)
                free(buf);
            buf = more;
        }
    }
    fclose(fp);
    if (buf == NULL)
        return 1;
    target(buf, len);
    free(buf);
    return 0;
}

int fuzz_replay(int argc, char **argv, int (*target)(const uint8_t *, size_t))
{
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *ent;
            while (d != NULL && (ent = readdir(d)) != NULL) {
                if (ent->d_name[0] == '.')
                    continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[i], ent->d_name);
                bad += fuzz_replay_file(path, target);
                n++;
            }
            if (d != NULL)
                closedir(d);
        } else {
            bad += fuzz_replay_file(argv[i], target);
            n++;
        }
    }
    printf("%d inputs replayed\n", n);
    return bad != 0;
}
