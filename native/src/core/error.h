/* Errors: every public call clears this thread's message on entry; internal code fails with
 * berth_fail*(), which records code + message and returns the code, and adds context while
 * the error climbs with berth_wrap(). The message lives in thread-local storage, so threads
 * never see each other's failures and there is no process-wide mutable state. */
#ifndef BERTH_CORE_ERROR_H
#define BERTH_CORE_ERROR_H
#include "berth.h"

#if defined(_MSC_VER)
#  define BERTH_THREAD_LOCAL __declspec(thread)
#else
#  define BERTH_THREAD_LOCAL _Thread_local
#endif

#if defined(__MINGW32__)
/* mingw-w64: check C99 formats (%zu, %lld); builds define __USE_MINGW_ANSI_STDIO=1 so the
 * runtime's vsnprintf agrees (cl.exe's UCRT does natively). */
#  define BERTH_PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
#  define BERTH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define BERTH_PRINTF(a, b)
#endif

/* Records code and message; returns code so callers can `return berth_fail(...)`. */
int berth_fail(int code, const char *fmt, ...) BERTH_PRINTF(2, 3);
/* Like berth_fail, with ": <strerror(errnum)>" appended. */
int berth_fail_errno(int code, int errnum, const char *fmt, ...) BERTH_PRINTF(3, 4);
/* Prefixes "<context>: " to the current message and returns code (the current code if 0). */
int berth_wrap(int code, const char *fmt, ...) BERTH_PRINTF(2, 3);
/* Out of memory: uses a static string, never allocates. */
int berth_fail_oom(void);
/* Called by every public entry point. */
void berth_error_clear(void);

#endif
