/* Loading a shared library at its first use (POSIX: dlopen). Most commands never touch the
 * registry or tar code, yet libcurl and libarchive bring some forty libraries whose loading and
 * constructors cost ≈7 ms per process; so they are loaded only by the calls that need them
 * (docs/architecture.md, "Start-up cost"). Windows gets the same from its linker (/DELAYLOAD in
 * NMakefile), so this file is POSIX only. */
#ifndef BERTH_CORE_DYNLIB_H
#define BERTH_CORE_DYNLIB_H
#include <pthread.h>
#include <stddef.h>

/* The outcome of one library's loading, decided once per process and read-only after. */
typedef struct {
    pthread_mutex_t lock;
    int state;          /* 0 not tried, 1 loaded, -1 failed (why says so) */
    char why[512];
} dynlib_once;
#define DYNLIB_ONCE_INIT { PTHREAD_MUTEX_INITIALIZER, 0, "" }

/* Opens soname and lets resolve(lib) fill the caller's table of function pointers, once; later
 * calls return the first outcome. On failure: BERTH_EUNSUPPORTED and a message naming the library,
 * the cause and the package to install. resolve returns the name of a missing symbol, or NULL. */
int dynlib_load_once(dynlib_once *o, const char *soname, const char *package, const char *(*resolve)(void *lib));

#endif
