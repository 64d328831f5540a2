/* Writing image archives: a tar via libarchive (pax, fixed owner and times so one image saves
 * to the same bytes every time) or files in a directory. See archive_out.h. */
#include "image/archive_out.h"
#include "core/error.h"
#include "core/fs.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct archive_out {
    char *path;
    char *tmp;             /* tar: the temporary file */
    int fd;
    struct archive *a;
    int is_dir;
    char **names;          /* written so far */
    size_t n, cap;
};

static int remember(archive_out *o, const char *name)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        char **g = realloc(o->names, cap * sizeof *g);
        if (!g)
            return berth_fail_oom();
        o->names = g;
        o->cap = cap;
    }
    if (!(o->names[o->n] = strdup(name)))
        return berth_fail_oom();
    o->n++;
    return 0;
}

int archive_out_open(archive_out **out, const char *path, int as_dir)
{
    *out = NULL;
    archive_out *o = calloc(1, sizeof *o);
    int rc = 0;
    if (!o || !(o->path = strdup(path))) {
        free(o);
        return berth_fail_oom();
    }
    o->fd = -1;
    o->is_dir = as_dir;
    if (as_dir) {
        char *blobs = fs_join(path, "blobs/sha256");
        rc = blobs ? fs_mkdir_p(blobs, 0755) : BERTH_ENOMEM;
        free(blobs);
        goto out;
    }
    size_t n = strlen(path) + 32;
    if (!(o->tmp = malloc(n))) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(o->tmp, n, "%s.berth-tmp-XXXXXX", path);
    if ((o->fd = mkostemp(o->tmp, O_CLOEXEC)) < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "create %s", o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        goto out;
    }
    fchmod(o->fd, 0644);
    if (!(o->a = archive_write_new()) || archive_write_set_format_pax_restricted(o->a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(o->a, 1) != ARCHIVE_OK || archive_write_open_fd(o->a, o->fd) != ARCHIVE_OK)
        rc = berth_fail(BERTH_ERROR, "start the tar archive %s: %s", path, o->a ? archive_error_string(o->a) : "out of memory");
out:
    if (rc) {
        archive_out_abort(o);
        return rc;
    }
    *out = o;
    return 0;
}

int archive_out_is_dir(const archive_out *o) { return o->is_dir; }

int archive_out_has(archive_out *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->names[i], name) == 0)
            return 1;
    if (o->is_dir) {
        char *p = fs_join(o->path, name);
        int there = p && fs_exists(p) && strcmp(name, "index.json") != 0;
        free(p);
        return there;
    }
    return 0;
}

static int tar_header(archive_out *o, const char *name, uint64_t size)
{
    struct archive_entry *e = archive_entry_new();
    if (!e)
        return berth_fail_oom();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)size);
    archive_entry_set_mtime(e, 0, 0);
    int rc = archive_write_header(o->a, e) == ARCHIVE_OK ? 0
           : berth_fail(BERTH_ERROR, "write %s into %s: %s", name, o->path, archive_error_string(o->a));
    archive_entry_free(e);
    return rc;
}

static int tar_data(archive_out *o, const char *name, const void *buf, size_t len)
{
    if (archive_write_data(o->a, buf, len) != (la_ssize_t)len)
        return berth_fail(BERTH_ERROR, "write %s into %s: %s", name, o->path, archive_error_string(o->a));
    return 0;
}

typedef struct {
    const char *data;
    size_t len, off;
} mem_src;

static int mem_read(void *payload, const void **buf, size_t *len)
{
    mem_src *m = payload;
    *buf = m->data + m->off;
    *len = m->len - m->off;
    m->off = m->len;
    return 0;
}

int archive_out_mem(archive_out *o, const char *name, const void *data, size_t len)
{
    mem_src m = { data, len, 0 };
    return archive_out_stream(o, name, len, mem_read, &m);
}

static int write_all(int fd, const void *buf, size_t len, const char *path)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "write %s", path);
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int archive_out_stream(archive_out *o, const char *name, uint64_t size, archive_out_read_fn read, void *payload)
{
    int rc = 0, fd = -1;
    uint64_t done = 0;
    char *final = NULL, *tmp = NULL;
    if (o->is_dir) {
        size_t n;
        if (!(final = fs_join(o->path, name)) || !(tmp = malloc((n = strlen(final) + 32)))) {
            rc = berth_fail_oom();
            goto out;
        }
        char *slash = strrchr(final, '/');
        *slash = '\0';
        rc = fs_mkdir_p(final, 0755);
        *slash = '/';
        if (rc)
            goto out;
        snprintf(tmp, n, "%s.berth-tmp-XXXXXX", final);
        if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "create %s", tmp);
            free(tmp);
            tmp = NULL;
            goto out;
        }
        fchmod(fd, 0644);
    } else if ((rc = tar_header(o, name, size)) != 0) {
        goto out;
    }
    while (rc == 0) {
        const void *buf;
        size_t len = 0;
        if ((rc = read(payload, &buf, &len)) != 0 || len == 0)
            break;
        if (done + len > size) {
            rc = berth_fail(BERTH_ERROR, "%s: more bytes than the %llu expected — the source changed while it was saved",
                            name, (unsigned long long)size);
            break;
        }
        rc = o->is_dir ? write_all(fd, buf, len, tmp) : tar_data(o, name, buf, len);
        done += len;
    }
    if (rc == 0 && done != size)
        rc = berth_fail(BERTH_ERROR, "%s: %llu bytes instead of the %llu expected — the source changed while it was "
                        "saved", name, (unsigned long long)done, (unsigned long long)size);
    if (rc == 0 && o->is_dir) {
        if (fsync(fd) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "fsync %s", tmp);
        close(fd);
        fd = -1;
        if (rc == 0)
            rc = fs_rename_durable(tmp, final);
    }
    if (rc == 0)
        rc = remember(o, name);
out:
    if (fd >= 0)
        close(fd);
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(final);
    return rc;
}

static void out_free(archive_out *o)
{
    if (o->a)
        archive_write_free(o->a);
    if (o->fd >= 0)
        close(o->fd);
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->tmp);
    free(o->path);
    free(o);
}

int archive_out_commit(archive_out *o)
{
    int rc = 0;
    if (!o->is_dir) {
        if (archive_write_close(o->a) != ARCHIVE_OK)
            rc = berth_fail(BERTH_ERROR, "finish the tar archive %s: %s", o->path, archive_error_string(o->a));
        if (rc == 0 && fsync(o->fd) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "fsync %s", o->tmp);
        if (rc == 0)
            rc = fs_rename_durable(o->tmp, o->path);
        if (rc) {
            archive_out_abort(o);
            return rc;
        }
    }
    out_free(o);
    return 0;
}

void archive_out_abort(archive_out *o)
{
    if (!o)
        return;
    if (o->tmp)
        unlink(o->tmp);
    out_free(o);
}
