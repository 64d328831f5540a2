/* A growable byte buffer with a ceiling: every buffer filled from the network or a file has a
 * maximum, so a hostile peer cannot make us allocate without bound (the idea of curl's dynbuf). */
#ifndef BERTH_CORE_BUF_H
#define BERTH_CORE_BUF_H
#include <stddef.h>

typedef struct {
    char *data;    /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max;    /* appending past this fails with BERTH_EINVAL */
} berth_buf;

#define BERTH_BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes) }

int buf_append(berth_buf *b, const void *data, size_t len);
int buf_printf(berth_buf *b, const char *fmt, ...);
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *buf_detach(berth_buf *b);
void buf_free(berth_buf *b);

#endif
