#include "core/buf.h"
#include "core/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_append(berth_buf *b, const void *data, size_t len)
{
    if (len > b->max || b->len > b->max - len)
        return berth_fail(BERTH_EINVAL, "more than %zu bytes", b->max);
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return berth_fail_oom();
        b->data = p;
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int buf_printf(berth_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return berth_fail(BERTH_ERROR, "format error");
    char *tmp = malloc((size_t)n + 1);
    if (!tmp)
        return berth_fail_oom();
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = buf_append(b, tmp, (size_t)n);
    free(tmp);
    return rc;
}

char *buf_detach(berth_buf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(berth_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
