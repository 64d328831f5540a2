/* The portable half of fs_read_file: the bounded buffer the platform halves read into. */
#include "core/buf.h"
#include "core/error.h"
#include "core/fs.h"
#include <stdlib.h>

int fs_read_append(berth_buf *b, const void *chunk, size_t n, const char *path)
{
    if (n > b->max - b->len)
        return berth_fail(BERTH_EINVAL, "read %s: larger than %zu bytes", path, b->max);
    return buf_append(b, chunk, n);
}

int fs_read_finish(char **out, size_t *len_out, berth_buf *b)
{
    size_t len = b->len;
    char *data = buf_detach(b);
    if (!data)
        return berth_fail_oom();
    *out = data;
    if (len_out)
        *len_out = len;
    return 0;
}
