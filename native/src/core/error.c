#include "core/error.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One message per thread; long enough for a path, a digest and an instruction. */
#define MSG_MAX 2048
static BERTH_THREAD_LOCAL char tls_msg[MSG_MAX];
static BERTH_THREAD_LOCAL int tls_code;

const char *berth_errmsg(void) { return tls_msg; }
int berth_errcode(void) { return tls_code; }

void berth_error_clear(void)
{
    tls_msg[0] = '\0';
    tls_code = 0;
}

static int set_v(int code, const char *fmt, va_list ap)
{
    vsnprintf(tls_msg, sizeof tls_msg, fmt, ap);
    tls_code = code;
    return code;
}

int berth_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(code, fmt, ap);
    va_end(ap);
    return code;
}

int berth_fail_errno(int code, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(code, fmt, ap);
    va_end(ap);
    size_t n = strlen(tls_msg);
    snprintf(tls_msg + n, sizeof tls_msg - n, ": %s", strerror(errnum));
    return code;
}

int berth_wrap(int code, const char *fmt, ...)
{
    char ctx[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    /* New text = ctx + ": " + old message, truncated to the buffer; move the old one right. */
    size_t lc = strlen(ctx), lo = strlen(tls_msg);
    size_t sep = lo ? 2 : 0;
    if (lc + sep >= MSG_MAX)
        lc = MSG_MAX - 1 - sep;
    if (lc + sep + lo >= MSG_MAX)
        lo = MSG_MAX - 1 - lc - sep;
    memmove(tls_msg + lc + sep, tls_msg, lo);
    tls_msg[lc + sep + lo] = '\0';
    memcpy(tls_msg, ctx, lc);
    if (sep)
        memcpy(tls_msg + lc, ": ", 2);
    if (code != 0)
        tls_code = code;
    return tls_code ? tls_code : BERTH_ERROR;
}

int berth_fail_oom(void)
{
    static const char oom[] = "out of memory";
    memcpy(tls_msg, oom, sizeof oom);
    tls_code = BERTH_ENOMEM;
    return BERTH_ENOMEM;
}

const char *berth_strerror(int code)
{
    switch (code) {
    case BERTH_OK: return "BERTH_OK";
    case BERTH_ERROR: return "BERTH_ERROR";
    case BERTH_ENOMEM: return "BERTH_ENOMEM";
    case BERTH_ENOTFOUND: return "BERTH_ENOTFOUND";
    case BERTH_EEXISTS: return "BERTH_EEXISTS";
    case BERTH_EINVAL: return "BERTH_EINVAL";
    case BERTH_EAUTH: return "BERTH_EAUTH";
    case BERTH_EDIGEST: return "BERTH_EDIGEST";
    case BERTH_EPLATFORM: return "BERTH_EPLATFORM";
    case BERTH_EBUSY: return "BERTH_EBUSY";
    case BERTH_ECANCELED: return "BERTH_ECANCELED";
    case BERTH_ENETWORK: return "BERTH_ENETWORK";
    case BERTH_EUNSUPPORTED: return "BERTH_EUNSUPPORTED";
    case BERTH_ESTATE: return "BERTH_ESTATE";
    case BERTH_EUNSAFE: return "BERTH_EUNSAFE";
    default: return "BERTH_UNKNOWN";
    }
}
