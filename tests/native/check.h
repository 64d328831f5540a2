/* A tiny unit-test helper that prints TAP ("ok 3 - name", "not ok 4 - name"), which
 * tests/run.sh counts. Each *_test.c has a main() that RUNs its cases and returns check_done(). */
#ifndef BERTH_CHECK_H
#define BERTH_CHECK_H
#include "berth.h"
#include <stdio.h>
#include <string.h>

static int check_case_failed, check_count, check_failures;

#define CHECK(cond) do { if (!(cond)) { \
    printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); check_case_failed = 1; } } while (0)

/* Expects an int-returning Berth call to return `want`; prints the message when it does not. */
#define CHECK_RC(want, expr) do { int check_rc_ = (expr); if (check_rc_ != (want)) { \
    printf("#   %s:%d: %s returned %d (%s), wanted %d; message: %s\n", __FILE__, __LINE__, #expr, \
           check_rc_, berth_strerror(check_rc_), (want), berth_errmsg()); check_case_failed = 1; } } while (0)
#define CHECK_OK(expr) CHECK_RC(0, expr)

#define CHECK_STREQ(a, b) do { const char *check_a_ = (a), *check_b_ = (b); \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) { \
        printf("#   %s:%d: %s == \"%s\", wanted \"%s\"\n", __FILE__, __LINE__, #a, \
               check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); check_case_failed = 1; } } while (0)

/* Expects the thread's error message to contain `needle` (messages are part of the contract). */
#define CHECK_MSG(needle) do { if (!strstr(berth_errmsg(), (needle))) { \
    printf("#   %s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, berth_errmsg(), (needle)); \
    check_case_failed = 1; } } while (0)

static inline void check_run(const char *name, void (*fn)(void))
{
    check_case_failed = 0;
    fn();
    check_count++;
    printf("%s %d - %s\n", check_case_failed ? "not ok" : "ok", check_count, name);
    if (check_case_failed)
        check_failures++;
    fflush(stdout);
}

/* A skip always says why (it is counted and shown, never silent). */
static inline void check_skip(const char *name, const char *why)
{
    check_count++;
    printf("ok %d - %s # SKIP %s\n", check_count, name, why);
}

static inline int check_done(void)
{
    printf("1..%d\n", check_count);
    return check_failures ? 1 : 0;
}

#define RUN(fn) check_run(#fn, fn)
#endif
