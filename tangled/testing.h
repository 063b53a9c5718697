#line 101 "chunks/harness.nw"
#ifndef TESTING_H
#define TESTING_H
int tst_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tst_done(void);
#endif
