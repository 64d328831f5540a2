/* Helpers shared by the libFuzzer targets. A target checks properties, not only "no crash":
 * when one is broken, FUZZ_CHECK prints what and aborts, so libFuzzer saves the input. */
#ifndef BERTH_FUZZ_H
#define BERTH_FUZZ_H
#include "berth.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                      \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "property broken at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                          \
            fprintf(stderr, "\n  last error: %s\n", berth_errmsg());               \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* The input as a C string (cut at the first NUL, as a C caller would pass it). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A failure must leave a message that says something. */
static inline void fuzz_check_failure(int rc, const char *what)
{
    FUZZ_CHECK(rc < 0, "%s returned %d", what, rc);
    FUZZ_CHECK(berth_errmsg()[0] != '\0', "%s failed with %s but left no message", what, berth_strerror(rc));
}

#endif
