#ifndef TESTING_H
#define TESTING_H
/* Announce that n checks will run: prints TAP's plan line "1..n". */
void tst_plan(int n);
/* Print "ok - ..." or "not ok - ..." (fmt as printf) and count it; returns ok. */
int tst_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit status: 1 if a check failed or fewer checks ran than tst_plan announced. */
int tst_done(void);
#endif
