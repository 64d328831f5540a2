/* Image archives as a catalog of checked, hashed entries (see archive_src.h). */
#include "image/archive_src.h"
#include "image/archive_dir.h"
#include "core/error.h"
#include "core/fs.h"
#include "layer/archive_lib.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (128 * 1024)
#define NAME_MAX_LEN 4096
#define MAX_LINK_HOPS 8

struct archive_src {
    char *path;
    int is_dir;
    archive_dir *dir;           /* OCI layout directories (archive_dir_*.c) */
    archive_entry_info **e;     /* pointers: entries stay put while the catalog grows */
    size_t n, cap;
    size_t kept;                 /* bytes of JSON kept in memory */
    int sorted;
    archive_progress_fn progress;
    void *payload;
};

struct archive_reader {
    struct archive *a;           /* tar: the entry's data */
    archive_dir_file *f;         /* directory: the open file */
};

/* Resolves name into clean components; ".." pops (allow_up) or is refused. *out NULL for "". */
static int clean_path(char **out, const char *name, int allow_up, const char *what)
{
    *out = NULL;
    size_t n = strlen(name);
    if (n == 0 || n > NAME_MAX_LEN)
        return berth_fail(BERTH_EUNSAFE, "%s \"%.100s\": empty or longer than %d bytes", what, name, NAME_MAX_LEN);
    if (name[0] == '/')
        return berth_fail(BERTH_EUNSAFE, "%s \"%.200s\" is an absolute path: an image archive holds relative names "
                          "only — the archive is damaged or hostile", what, name);
    char *res = malloc(n + 1);
    if (!res)
        return berth_fail_oom();
    size_t len = 0;
    const char *p = name;
    while (*p) {
        size_t c = strcspn(p, "/");
        if (c == 0 || (c == 1 && p[0] == '.')) {
            /* "//" or "/./": nothing */
        } else if (c == 2 && p[0] == '.' && p[1] == '.') {
            if (!allow_up || len == 0) {
                free(res);
                return berth_fail(BERTH_EUNSAFE, "%s \"%.200s\" climbs out of the archive with \"..\" — the archive is "
                                  "hostile; nothing was loaded", what, name);
            }
            while (len > 0 && res[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* the separator */
        } else {
            if (len)
                res[len++] = '/';
            memcpy(res + len, p, c);
            len += c;
        }
        p += c;
        if (*p == '/')
            p++;
    }
    res[len] = '\0';
    if (len == 0) {
        free(res);
        return 0;
    }
    *out = res;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(archive_entry_info *const *)a)->name, (*(archive_entry_info *const *)b)->name);
}

static archive_entry_info *find(archive_src *s, const char *name)
{
    if (s->sorted) {
        archive_entry_info key = { 0 }, *kp = &key;
        key.name = (char *)name;
        archive_entry_info **hit = bsearch(&kp, s->e, s->n, sizeof *s->e, cmp_entry);
        return hit ? *hit : NULL;
    }
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i]->name, name) == 0)
            return s->e[i];
    return NULL;
}

static archive_entry_info *add_entry(archive_src *s, char *name, int *rc)
{
    if (s->n == ARCHIVE_MAX_ENTRIES) {
        free(name);
        *rc = berth_fail(BERTH_EUNSAFE, "the archive has more than %d entries — refusing it as hostile", ARCHIVE_MAX_ENTRIES);
        return NULL;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        archive_entry_info **g = realloc(s->e, cap * sizeof *g);
        if (!g) {
            free(name);
            *rc = berth_fail_oom();
            return NULL;
        }
        s->e = g;
        s->cap = cap;
    }
    archive_entry_info *e = calloc(1, sizeof *e);
    if (!e) {
        free(name);
        *rc = berth_fail_oom();
        return NULL;
    }
    e->name = name;
    s->e[s->n++] = e;
    return e;
}

/* Hashes a file's bytes as they come, keeping the first bytes and, for a small JSON document,
 * all of it. */
typedef struct {
    archive_src *s;
    archive_entry_info *e;
    digest_ctx *h;
    char *keep;
    size_t keep_len;
    int json;                   /* -1 unknown, 0 no, 1 yes */
    uint64_t *total;
} hasher;

static int hash_feed(hasher *x, const void *buf, size_t len)
{
    archive_entry_info *e = x->e;
    const unsigned char *p = buf;
    for (size_t i = 0; e->n_magic < sizeof e->magic && i < len; i++)
        e->magic[e->n_magic++] = p[i];
    int rc = digest_update(x->h, buf, len);
    if (rc)
        return rc;
    if (x->json < 0) {
        size_t i = 0;
        while (i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
            i++;
        if (i < len)
            x->json = (p[i] == '{' || p[i] == '[') && e->size <= (int64_t)ARCHIVE_JSON_MAX;
    }
    if (x->json == 1) {
        if (x->s->kept + len > ARCHIVE_JSON_TOTAL)
            return berth_fail(BERTH_EUNSAFE, "the archive's JSON documents exceed %u MiB together — refusing it as "
                              "hostile", ARCHIVE_JSON_TOTAL >> 20);
        if (x->keep_len + len > ARCHIVE_JSON_MAX)
            return berth_fail(BERTH_EUNSAFE, "entry \"%.200s\" grows past its declared size", e->name);
        char *g = realloc(x->keep, x->keep_len + len + 1);
        if (!g)
            return berth_fail_oom();
        x->keep = g;
        memcpy(x->keep + x->keep_len, buf, len);
        x->keep_len += len;
        x->keep[x->keep_len] = '\0';
        x->s->kept += len;
    }
    if (x->total) {
        *x->total += len;
        if (x->s->progress && x->s->progress(*x->total, x->s->payload) != 0)
            return berth_fail(BERTH_ECANCELED, "canceled");
    }
    return 0;
}

static int hash_finish(hasher *x, int64_t got)
{
    archive_entry_info *e = x->e;
    int rc = digest_final(&e->digest, x->h);
    if (rc == 0 && got != e->size)
        rc = berth_fail(BERTH_EUNSAFE, "entry \"%.200s\" declares %lld bytes but holds %lld — the archive is truncated "
                        "or damaged", e->name, (long long)e->size, (long long)got);
    if (rc == 0 && x->json == 1) {
        e->data = x->keep;
        e->len = x->keep_len;
        x->keep = NULL;
    }
    return rc;
}

static void hash_free(hasher *x)
{
    digest_free(x->h);
    free(x->keep);
}

/* ---- tar ---- */

static int open_tar(struct archive **out, const char *path)
{
    int rc = archive_lib_load();
    if (rc)
        return rc;
    struct archive *a = archive_read_new();
    if (!a)
        return berth_fail_oom();
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    if (archive_read_open_filename(a, path, CHUNK) != ARCHIVE_OK) {
        rc = berth_fail(BERTH_EINVAL, "open archive %s: %s", path, archive_error_string(a));
        archive_read_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

static int tar_error(struct archive *a, const char *path, const char *what)
{
    const char *m = archive_error_string(a);
    return berth_fail(BERTH_EINVAL, "archive %s: %s: %s — the file is not a complete tar archive", path, what,
                      m ? m : "unreadable");
}

/* One header of pass 1: files are hashed, links recorded, directories skipped, others refused. */
static int catalog_entry(archive_src *s, struct archive *a, struct archive_entry *ae, uint64_t *total)
{
    char *name = NULL;
    int rc = clean_path(&name, archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "", 0, "archive entry");
    if (rc || !name)
        return rc;
    mode_t type = archive_entry_filetype(ae);
    const char *hard = archive_entry_hardlink(ae);
    if (type == AE_IFDIR) {
        free(name);
        return 0;
    }
    /* duplicates are found once the catalog is sorted (catalog_tar) */
    if (hard || type == AE_IFLNK) {
        char *target = NULL, *joined = NULL;
        if (hard) {
            rc = clean_path(&target, hard, 0, "hard link target");
        } else {
            const char *t = archive_entry_symlink(ae) ? archive_entry_symlink(ae) : "";
            const char *slash = strrchr(name, '/');
            size_t dl = slash ? (size_t)(slash - name) : 0;
            if (t[0] == '/') {
                rc = berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\" links to the absolute path \"%.200s\" — "
                                "refusing a hostile archive", name, t);
            } else if (!(joined = malloc(dl + strlen(t) + 2))) {
                rc = berth_fail_oom();
            } else {
                memcpy(joined, name, dl);
                joined[dl] = '/';
                strcpy(joined + dl + (dl ? 1 : 0), t);
                if (!dl)
                    strcpy(joined, t);
                rc = clean_path(&target, joined, 1, "symbolic link target");
            }
        }
        free(joined);
        if (rc == 0 && !target)
            rc = berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\" links to the archive's root", name);
        if (rc) {
            free(name);
            free(target);
            return rc;
        }
        archive_entry_info *e = add_entry(s, name, &rc);
        if (!e) {
            free(target);
            return rc;
        }
        e->link = target;
        return 0;
    }
    if (type != AE_IFREG) {
        rc = berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\" is a device, FIFO or socket — an image archive holds "
                        "files only; refusing it", name);
        free(name);
        return rc;
    }
    int64_t size = archive_entry_size(ae);
    if (size < 0 || size > ARCHIVE_MAX_ENTRY_SIZE) {
        rc = berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\" declares %lld bytes (more than the %lld GiB allowed for "
                        "one file) — refusing it", name, (long long)size, ARCHIVE_MAX_ENTRY_SIZE >> 30);
        free(name);
        return rc;
    }
    archive_entry_info *e = add_entry(s, name, &rc);
    if (!e)
        return rc;
    e->size = size;
    hasher x = { s, e, NULL, NULL, 0, -1, total };
    unsigned char *buf = malloc(CHUNK);
    int64_t got = 0;
    rc = buf ? digest_begin(&x.h) : berth_fail_oom();
    while (rc == 0) {
        la_ssize_t r = archive_read_data(a, buf, CHUNK);
        if (r < 0) {
            rc = tar_error(a, s->path, e->name);
            break;
        }
        if (r == 0)
            break;
        got += r;
        rc = hash_feed(&x, buf, (size_t)r);
    }
    if (rc == 0)
        rc = hash_finish(&x, got);
    hash_free(&x);
    free(buf);
    return rc;
}

static int catalog_tar(archive_src *s)
{
    struct archive *a = NULL;
    struct archive_entry *ae;
    uint64_t total = 0;
    int rc = open_tar(&a, s->path), r;
    while (rc == 0 && (r = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            rc = tar_error(a, s->path, "read the next entry");
            break;
        }
        rc = catalog_entry(s, a, ae, &total);
    }
    if (a)
        archive_read_free(a);
    if (rc == 0 && s->n == 0)
        rc = berth_fail(BERTH_EINVAL, "archive %s holds no files — it is not an image archive", s->path);
    if (rc == 0) {
        qsort(s->e, s->n, sizeof *s->e, cmp_entry);
        s->sorted = 1;
        for (size_t i = 1; i < s->n; i++)
            if (strcmp(s->e[i - 1]->name, s->e[i]->name) == 0)
                return berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\" appears twice — refusing an ambiguous "
                                  "archive", s->e[i]->name);
    }
    return rc;
}

/* ---- directory (OCI layout) ---- */

static archive_entry_info *dir_lookup(archive_src *s, const char *name, int *rc)
{
    archive_dir_file *f = NULL;
    int64_t size = 0;
    if ((*rc = archive_dir_file_open(&f, s->dir, name, &size)) != 0)
        return NULL;
    char *copy = strdup(name);
    archive_entry_info *e = copy ? add_entry(s, copy, rc) : NULL;
    if (!copy)
        *rc = berth_fail_oom();
    if (!e) {
        archive_dir_file_close(f);
        return NULL;
    }
    e->size = size;
    hasher x = { s, e, NULL, NULL, 0, -1, NULL };
    unsigned char *buf = malloc(CHUNK);
    int64_t got = 0;
    *rc = buf ? digest_begin(&x.h) : berth_fail_oom();
    while (*rc == 0) {
        size_t r = 0;
        if ((*rc = archive_dir_file_read(f, buf, CHUNK, &r)) != 0 || r == 0)
            break;
        got += (int64_t)r;
        *rc = hash_feed(&x, buf, r);
    }
    if (*rc == 0)
        *rc = hash_finish(&x, got);
    hash_free(&x);
    free(buf);
    archive_dir_file_close(f);
    if (*rc) {
        /* forget the half-made entry */
        free(e->name);
        free(e->data);
        free(e);
        s->n--;
        return NULL;
    }
    return e;
}

/* ---- the interface ---- */

int archive_src_open(archive_src **out, const char *path, archive_progress_fn progress, void *payload)
{
    *out = NULL;
    if (!fs_exists(path))
        return berth_fail(BERTH_ENOTFOUND, "open archive %s: it does not exist", path);
    archive_src *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return berth_fail_oom();
    }
    s->progress = progress;
    s->payload = payload;
    int rc = 0;
    if (archive_dir_is_dir(path)) {
        s->is_dir = 1;
        rc = archive_dir_open(&s->dir, path);
    } else {
        rc = catalog_tar(s);
    }
    if (rc) {
        archive_src_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void archive_src_close(archive_src *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->e[i]->name);
        free(s->e[i]->link);
        free(s->e[i]->data);
        free(s->e[i]);
    }
    free(s->e);
    archive_dir_close(s->dir);
    free(s->path);
    free(s);
}

int archive_src_is_dir(const archive_src *s) { return s->is_dir; }

archive_entry_info *archive_src_lookup(archive_src *s, const char *name, int *rc)
{
    char *clean = NULL;
    *rc = clean_path(&clean, name, 0, "name in the archive's manifest");
    if (*rc)
        return NULL;
    if (!clean) {
        *rc = berth_fail(BERTH_EINVAL, "an empty file name in the archive's manifest");
        return NULL;
    }
    archive_entry_info *e = NULL;
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        e = find(s, clean);
        if (!e && s->is_dir)
            e = dir_lookup(s, clean, rc);
        else if (!e)
            *rc = berth_fail(BERTH_ENOTFOUND, "the archive has no file \"%.200s\"", clean);
        if (!e || !e->link)
            break;
        free(clean);
        if (!(clean = strdup(e->link))) {
            *rc = berth_fail_oom();
            return NULL;
        }
        e = NULL;
    }
    if (!e && *rc == 0)
        *rc = berth_fail(BERTH_EUNSAFE, "archive entry \"%.200s\": more than %d links in a row", name, MAX_LINK_HOPS);
    free(clean);
    return e;
}

int archive_reader_read(archive_reader *r, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (r->a) {
        la_ssize_t n = archive_read_data(r->a, buf, len);
        if (n < 0)
            return berth_fail(BERTH_EINVAL, "read archive data: %s", archive_error_string(r->a));
        *got = (size_t)n;
        return 0;
    }
    return archive_dir_file_read(r->f, buf, len, got);
}

int archive_src_stream(archive_src *s, archive_each_fn each, void *payload)
{
    int rc = 0;
    if (s->is_dir) {
        for (size_t i = 0; rc == 0 && i < s->n; i++) {
            archive_entry_info *e = s->e[i];
            if (e->wanted != 1)
                continue;
            archive_reader r = { NULL, NULL };
            if ((rc = archive_dir_file_open(&r.f, s->dir, e->name, NULL)) != 0)
                break;
            rc = each(e, &r, payload);
            archive_dir_file_close(r.f);
            e->wanted = 2;
        }
        return rc;
    }
    struct archive *a = NULL;
    struct archive_entry *ae;
    int h;
    if ((rc = open_tar(&a, s->path)) != 0)
        return rc;
    while (rc == 0 && (h = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
        if (h != ARCHIVE_OK && h != ARCHIVE_WARN) {
            rc = tar_error(a, s->path, "read the next entry");
            break;
        }
        char *name = NULL;
        if ((rc = clean_path(&name, archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "", 0, "archive entry")) != 0)
            break;
        archive_entry_info *e = name ? find(s, name) : NULL;
        free(name);
        if (!e || e->link || e->wanted != 1 || archive_entry_filetype(ae) != AE_IFREG)
            continue;
        archive_reader r = { a, NULL };
        rc = each(e, &r, payload);
        e->wanted = 2;
    }
    archive_read_free(a);
    for (size_t i = 0; rc == 0 && i < s->n; i++)
        if (s->e[i]->wanted == 1)
            rc = berth_fail(BERTH_EINVAL, "archive %s changed while it was loaded: entry \"%.200s\" is gone", s->path,
                            s->e[i]->name);
    return rc;
}
