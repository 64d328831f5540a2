/* The entry loop shared by store and apply mode: every entry is judged (name, type, size,
 * xattrs, whiteout form) before the writer may touch the disk, and every refusal names it. */
#include "layer/unpack.h"
#include "core/error.h"
#include "layer/path.h"
#include "layer/windows.h"
#include "layer/writer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    layer_stream *s;
    layer_writer *w;
    layer_windows *win;
    int windows;              /* -1 undecided, 0 Linux, 1 Windows */
    const char *dir;
    uint64_t max_bytes;
    int allow_devices;
} unpack_ctx;

/* A name safe to print: control characters become '?', long names are cut. */
static const char *shown(char *out, size_t cap, const char *raw)
{
    if (!raw)
        return "(no name)";
    size_t i = 0;
    for (; raw[i] && i + 4 < cap; i++)
        out[i] = ((unsigned char)raw[i] < 32 || raw[i] == 127) ? '?' : raw[i];
    if (raw[i])
        memcpy(out + i, "...", 3), i += 3;
    out[i] = '\0';
    return out;
}

static int check_xattrs(struct archive_entry *e)
{
    const char *name;
    const void *value;
    size_t size;
    archive_entry_xattr_reset(e);
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        if (strncmp(name, "trusted.", 8) == 0)
            return berth_fail(BERTH_EUNSAFE, "xattr %s refused: trusted.* attributes are not accepted from "
                              "layer data (trusted.overlay.* would steer overlayfs)", name);
        if (size > 64 * 1024)
            return berth_fail(BERTH_EUNSAFE, "xattr %s is %zu bytes (the limit is 65536)", name, size);
    }
    return 0;
}

static int check_type(unpack_ctx *c, struct archive_entry *e, const char *hardlink)
{
    if (hardlink)
        return 0;
    switch (archive_entry_filetype(e)) {
    case AE_IFREG: case AE_IFDIR: case AE_IFIFO:
        return 0;
    case AE_IFLNK: {
        const char *t = archive_entry_symlink(e);
        if (!t || !*t)
            return berth_fail(BERTH_EUNSAFE, "symlink without a target");
        if (strlen(t) >= LAYER_PATH_MAX)
            return berth_fail(BERTH_EUNSAFE, "symlink target longer than %d bytes", LAYER_PATH_MAX - 1);
        return 0;
    }
    case AE_IFCHR: case AE_IFBLK:
        if (c->windows == 1 || !c->allow_devices)
            return berth_fail(BERTH_EUNSAFE, "%s device node (%u,%u) refused: device nodes in layers are "
                              "not allowed by the policy", archive_entry_filetype(e) == AE_IFCHR ? "character" : "block",
                              (unsigned)archive_entry_rdevmajor(e), (unsigned)archive_entry_rdevminor(e));
        return 0;
    default:
        return berth_fail(BERTH_EUNSAFE, "unsupported entry type (mode 0%o)", (unsigned)archive_entry_mode(e));
    }
}

static const char *win_type(struct archive_entry *e, const char *hardlink)
{
    if (hardlink)
        return "hardlink";
    switch (archive_entry_filetype(e)) {
    case AE_IFDIR: return "dir";
    case AE_IFLNK: return "symlink";
    default: return "file";
    }
}

/* Whiteouts: ".wh.<name>" hides <name> of lower layers, ".wh..wh..opq" hides a directory's
 * whole lower contents; other ".wh..wh." names are aufs bookkeeping and ignored. */
static int do_whiteout(unpack_ctx *c, struct archive_entry *e, const char *path, const char *leaf)
{
    char parent[LAYER_PATH_MAX], target[LAYER_PATH_MAX];
    size_t plen = leaf > path ? (size_t)(leaf - path - 1) : 0;
    memcpy(parent, path, plen);
    parent[plen] = '\0';
    if (strcmp(leaf, LAYER_WHITEOUT_OPAQUE) == 0)
        return c->windows == 1 ? windows_record(c->win, parent, "opaque", e, NULL, NULL) : writer_opaque(c->w, parent);
    if (strncmp(leaf, LAYER_WHITEOUT_META, strlen(LAYER_WHITEOUT_META)) == 0)
        return 0;
    const char *name = leaf + strlen(LAYER_WHITEOUT_PREFIX);
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return berth_fail(BERTH_EUNSAFE, "whiteout \"%s\" names %s", leaf, *name ? "a path that climbs" : "nothing");
    size_t nlen = strlen(name);
    if (plen + 1 + nlen >= sizeof target)
        return berth_fail(BERTH_EUNSAFE, "whiteout path too long");
    memcpy(target, parent, plen);
    if (plen)
        target[plen++] = '/';
    memcpy(target + plen, name, nlen + 1);
    if (c->windows == 1)
        return windows_record(c->win, target, "whiteout", e, NULL, NULL);
    return writer_whiteout(c->w, target);
}

static int do_entry(unpack_ctx *c, struct archive_entry *e, uint64_t index)
{
    const char *raw = archive_entry_pathname(e);
    const stream_winattrs *wa = stream_winattrs_for(c->s, index);
    if (c->windows < 0) {
        int d = windows_detect(raw, wa);
        if (d >= 0)
            c->windows = d;
    }
    if (c->windows == 1 && !c->win) {
        int rc = windows_begin(&c->win, c->dir);
        if (rc != 0)
            return rc;
    }
    char path[LAYER_PATH_MAX], link[LAYER_PATH_MAX];
    int rc = layer_path_clean(path, raw, c->windows == 1);
    if (rc != 0)
        return rc;
    const char *raw_link = archive_entry_hardlink(e);
    if (raw_link && (rc = layer_path_clean(link, raw_link, c->windows == 1)) != 0)
        return berth_wrap(rc, "hard link target \"%s\"", raw_link);
    const char *leaf = layer_path_leaf(path);
    if (strncmp(leaf, LAYER_WHITEOUT_PREFIX, strlen(LAYER_WHITEOUT_PREFIX)) == 0)
        return do_whiteout(c, e, path, leaf);
    if (c->windows == 1 && *path && (rc = windows_check_path(path)) != 0)
        return rc;
    if ((rc = check_type(c, e, raw_link ? link : NULL)) != 0 || (rc = check_xattrs(e)) != 0)
        return rc;
    int64_t size = archive_entry_size(e);
    if (size < 0 || (uint64_t)size > c->max_bytes)
        return berth_fail(BERTH_EUNSAFE, "the header claims %lld bytes, beyond the layer size limit of %llu",
                          (long long)size, (unsigned long long)c->max_bytes);
    if ((rc = writer_entry(c->w, stream_tar(c->s), e, path, raw_link ? link : NULL)) != 0)
        return rc;
    if (c->windows == 1)
        rc = windows_record(c->win, path, win_type(e, raw_link), e, raw_link ? link : archive_entry_symlink(e), wa);
    return rc;
}

int layer_unpack_dir(layer_result *res, layer_read_fn read, void *payload, const char *media_type,
                     const char *dir, int overlay, int windows_base, const layer_options *opts)
{
    layer_options dflt = { 0 };
    if (!opts)
        opts = &dflt;
    memset(res, 0, sizeof *res);
    unpack_ctx c = { NULL, NULL, NULL, -1, dir, opts->max_bytes ? opts->max_bytes : LAYER_DEFAULT_MAX_BYTES,
                     opts->allow_devices };
    uint64_t max_entries = opts->max_entries ? opts->max_entries : LAYER_DEFAULT_MAX_ENTRIES;
    char name_buf[600], last_buf[600] = "(none)";
    int rc = stream_open(&c.s, read, payload, media_type, opts);
    if (rc != 0)
        goto out;
    if ((rc = writer_open(&c.w, dir, overlay ? WRITER_OVERLAY : WRITER_APPLY)) != 0 ||
        (overlay && (rc = writer_set_lowers(c.w, opts->lower_dirs, opts->n_lower_dirs)) != 0))
        goto out;
    struct archive *tar = stream_tar(c.s);
    for (uint64_t index = 0;; index++) {
        struct archive_entry *e;
        int r = archive_read_next_header(tar, &e);
        if (r == ARCHIVE_EOF)
            break;
        /* libarchive resynchronises past damaged headers with a warning; a layer must be whole. */
        if (r < ARCHIVE_WARN || (r == ARCHIVE_WARN && strstr(archive_error_string(tar) ? archive_error_string(tar) : "", "Damaged"))) {
            rc = stream_failed(c.s);
            if (!rc)
                rc = berth_fail(BERTH_EINVAL, "the tar stream is corrupt or truncated after entry \"%s\": %s",
                                last_buf, archive_error_string(tar));
            else
                rc = berth_wrap(rc, "after entry \"%s\"", last_buf);
            goto out;
        }
        shown(name_buf, sizeof name_buf, archive_entry_pathname(e));
        if (index >= max_entries) {
            rc = berth_fail(BERTH_EUNSAFE, "entry \"%s\": the layer has more than %llu entries (an entry-count "
                            "bomb, or raise the limit)", name_buf, (unsigned long long)max_entries);
            goto out;
        }
        if ((rc = do_entry(&c, e, index)) != 0) {
            if (stream_failed(c.s))
                rc = stream_failed(c.s);
            rc = berth_wrap(rc, "entry \"%s\"", name_buf);
            goto out;
        }
        memcpy(last_buf, name_buf, sizeof last_buf);
        res->entries++;
    }
    if ((rc = writer_finish(c.w)) != 0)
        goto out;
    if (c.win && (rc = windows_finish(c.win, windows_base)) != 0)
        goto out;
    rc = stream_finish(c.s, res);
    res->windows = c.windows == 1;
out:
    windows_free(c.win);
    writer_free(c.w);
    stream_free(c.s);
    return rc;
}

/* ---- sources ---- */

#define FILE_CHUNK (256 * 1024)

struct file_source {
    FILE *f;
    const char *path;
    char buf[FILE_CHUNK];
};

static int file_read(void *payload, const void **buf, size_t *len)
{
    struct file_source *fs = payload;
    size_t n = fread(fs->buf, 1, sizeof fs->buf, fs->f);
    if (n == 0 && ferror(fs->f))
        return berth_fail(BERTH_ERROR, "read %s: I/O error", fs->path);
    *buf = fs->buf;
    *len = n;
    return 0;
}

int layer_file_source_open(void **out, const char *path)
{
    struct file_source *fs = calloc(1, sizeof *fs);
    if (!fs)
        return berth_fail_oom();
    fs->path = path;
    fs->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fs->f) {
        free(fs);
        return berth_fail(BERTH_ENOTFOUND, "open layer %s: cannot open the file", path);
    }
    *out = fs;
    return 0;
}

int layer_file_source_read(void *payload, const void **buf, size_t *len) { return file_read(payload, buf, len); }

void layer_file_source_close(void *p)
{
    struct file_source *fs = p;
    if (!fs)
        return;
    if (fs->f && fs->f != stdin)
        fclose(fs->f);
    free(fs);
}
