/* Decompressed reads of a blob file through libarchive's "raw" format (filters only). */
#include "image/uncompress.h"
#include "core/error.h"
#include "layer/archive_lib.h"
#include <stdlib.h>

struct uncompress {
    struct archive *a;
    char *path;
};

int uncompress_open(uncompress **out, const char *path)
{
    *out = NULL;
    uncompress *u = calloc(1, sizeof *u);
    struct archive_entry *ae;
    int loaded = archive_lib_load();
    if (loaded) {
        free(u);
        return loaded;
    }
    if (!u || !(u->a = archive_read_new())) {
        free(u);
        return berth_fail_oom();
    }
    archive_read_support_filter_gzip(u->a);
    archive_read_support_filter_zstd(u->a);
    archive_read_support_format_raw(u->a);
    int rc = 0;
    if (archive_read_open_filename(u->a, path, 128 * 1024) != ARCHIVE_OK ||
        archive_read_next_header(u->a, &ae) != ARCHIVE_OK)
        rc = berth_fail(BERTH_EINVAL, "read layer blob %s: %s", path, archive_error_string(u->a));
    if (rc) {
        archive_read_free(u->a);
        free(u);
        return rc;
    }
    *out = u;
    return 0;
}

int uncompress_read(uncompress *u, const void **buf, size_t *len)
{
    la_int64_t off;
    int r = archive_read_data_block(u->a, buf, len, &off);
    if (r == ARCHIVE_EOF) {
        *len = 0;
        return 0;
    }
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        return berth_fail(BERTH_EINVAL, "decompress layer blob: %s — the blob is damaged",
                          archive_error_string(u->a) ? archive_error_string(u->a) : "unreadable");
    return 0;
}

void uncompress_close(uncompress *u)
{
    if (!u)
        return;
    archive_read_free(u->a);
    free(u);
}

int uncompress_digest(berth_digest *out, uint64_t *size_out, const char *path)
{
    uncompress *u = NULL;
    digest_ctx *h = NULL;
    uint64_t size = 0;
    int rc = uncompress_open(&u, path);
    if (rc == 0)
        rc = digest_begin(&h);
    while (rc == 0) {
        const void *buf;
        size_t len;
        if ((rc = uncompress_read(u, &buf, &len)) != 0 || len == 0)
            break;
        size += len;
        rc = digest_update(h, buf, len);
    }
    if (rc == 0)
        rc = digest_final(out, h);
    if (rc == 0 && size_out)
        *size_out = size;
    digest_free(h);
    uncompress_close(u);
    return rc;
}
