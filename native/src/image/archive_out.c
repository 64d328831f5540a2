/* Writing image archives: a tar via libarchive (pax, fixed owner and times so one image saves
 * to the same bytes every time) or files in a directory. See archive_out.h. */
#include "image/archive_out.h"
#include "core/error.h"
#include "core/fs.h"
#include "layer/archive_lib.h"
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct archive_out {
    char *path;
    char *tmp;             /* tar: the temporary file */
    FILE *f;
    struct archive *a;
    int is_dir;
    char **names;          /* written so far */
    size_t n, cap;
};

/* Creates "<final>.berth-tmp-<random>" exclusively (C11 "x" mode: never an existing file). */
static int create_temp(FILE **f_out, char **tmp_out, const char *final)
{
    size_t n = strlen(final) + 40;
    char *tmp = malloc(n);
    if (!tmp)
        return berth_fail_oom();
    for (int attempt = 0; attempt < 8; attempt++) {
        unsigned char r[8];
        if (RAND_bytes(r, sizeof r) != 1) {
            free(tmp);
            return berth_fail(BERTH_ERROR, "no random bytes for a temporary file name");
        }
        snprintf(tmp, n, "%s.berth-tmp-%02x%02x%02x%02x%02x%02x%02x%02x", final, r[0], r[1], r[2], r[3], r[4], r[5],
                 r[6], r[7]);
        FILE *f = fopen(tmp, "wbx");
        if (f) {
            *f_out = f;
            *tmp_out = tmp;
            return 0;
        }
        if (errno != EEXIST)
            break;
    }
    int rc = berth_fail_errno(BERTH_ERROR, errno, "create %s", tmp);
    free(tmp);
    return rc;
}

/* Closes f, syncs tmp and renames it over final. */
static int finish_temp(FILE *f, const char *tmp, const char *final)
{
    int rc = 0;
    if (fflush(f) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "write %s", tmp);
    if (fclose(f) != 0 && rc == 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "write %s", tmp);
    if (rc == 0)
        rc = fs_fsync_path(tmp);
    if (rc == 0)
        rc = fs_rename_durable(tmp, final);
    return rc;
}

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
    o->is_dir = as_dir;
    if (as_dir) {
        char *blobs = fs_join(path, "blobs/sha256");
        rc = blobs ? fs_mkdir_p(blobs, 0755) : BERTH_ENOMEM;
        free(blobs);
        goto out;
    }
    if ((rc = create_temp(&o->f, &o->tmp, path)) != 0)
        goto out;
    if ((rc = archive_lib_load()) != 0)
        goto out;
    if (!(o->a = archive_write_new()) || archive_write_set_format_pax_restricted(o->a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(o->a, 1) != ARCHIVE_OK || archive_write_open_FILE(o->a, o->f) != ARCHIVE_OK)
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

int archive_out_stream(archive_out *o, const char *name, uint64_t size, archive_out_read_fn read, void *payload)
{
    int rc = 0;
    uint64_t done = 0;
    char *final = NULL, *tmp = NULL;
    FILE *f = NULL;
    if (o->is_dir) {
        if (!(final = fs_join(o->path, name))) {
            rc = berth_fail_oom();
            goto out;
        }
        char *slash = strrchr(final, '/');
        *slash = '\0';
        rc = fs_mkdir_p(final, 0755);
        *slash = '/';
        if (rc || (rc = create_temp(&f, &tmp, final)) != 0)
            goto out;
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
        if (o->is_dir)
            rc = fwrite(buf, 1, len, f) == len ? 0 : berth_fail_errno(BERTH_ERROR, errno, "write %s", tmp);
        else
            rc = tar_data(o, name, buf, len);
        done += len;
    }
    if (rc == 0 && done != size)
        rc = berth_fail(BERTH_ERROR, "%s: %llu bytes instead of the %llu expected — the source changed while it was "
                        "saved", name, (unsigned long long)done, (unsigned long long)size);
    if (rc == 0 && o->is_dir) {
        rc = finish_temp(f, tmp, final);
        f = NULL;
    }
    if (rc == 0)
        rc = remember(o, name);
out:
    if (f)
        fclose(f);
    if (rc && tmp)
        remove(tmp);
    free(tmp);
    free(final);
    return rc;
}

static void out_free(archive_out *o)
{
    if (o->a)
        archive_write_free(o->a);
    if (o->f)
        fclose(o->f);
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
        if (rc == 0) {
            rc = finish_temp(o->f, o->tmp, o->path);
            o->f = NULL;
        }
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
    if (o->f) {
        fclose(o->f);
        o->f = NULL;
    }
    if (o->tmp)
        remove(o->tmp);
    out_free(o);
}
