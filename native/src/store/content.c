/* The content store: blobs/sha256/<hex> holds only verified bytes. Big blobs arrive through an
 * ingest (ingest/<hex>.partial, locked, resumable); small ones through store_blob_put. Either
 * way the file is complete, fsynced and verified before the rename that makes it visible. */
#include "store/store.h"
#include "store/ingest_file.h"
#include "core/error.h"
#include "core/fs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)

struct store_ingest {
    berth_t *b;
    berth_digest want;
    int64_t want_size;     /* < 0: unknown */
    char *partial;         /* <root>/ingest/<hex>.partial */
    ingest_file *file;     /* open and locked for as long as the ingest lives */
    digest_ctx *hash;      /* covers exactly the first `offset` bytes of the file */
    int64_t offset;
};

static char *path_in(berth_t *b, const char *dir, const char *hex, const char *suffix)
{
    size_t n = strlen(b->root) + strlen(dir) + strlen(hex) + strlen(suffix) + 3;
    char *p = malloc(n);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(p, n, "%s/%s/%s%s", b->root, dir, hex, suffix);
    return p;
}

char *store_blob_path(berth_t *b, const berth_digest *d)
{
    return path_in(b, "blobs/sha256", digest_hex(d), "");
}

int store_blob_exists(berth_t *b, const berth_digest *d, int64_t *size_out)
{
    char *p = store_blob_path(b, d);
    int64_t size = p ? fs_size(p) : -1;
    free(p);
    if (size < 0)
        return 0;
    if (size_out)
        *size_out = size;
    return 1;
}

int store_blob_read(char **out, size_t *len_out, berth_t *b, const berth_digest *d, size_t max)
{
    char *p = store_blob_path(b, d), *data = NULL;
    size_t len = 0;
    berth_digest got;
    int rc;
    if (!p)
        return BERTH_ENOMEM;
    if ((rc = fs_read_file(&data, &len, p, max)) != 0) {
        rc = berth_wrap(rc, "read blob %s", d->text);
        goto out;
    }
    /* Small blobs are cheap to hash: a disk that rotted a manifest is caught here, not later. */
    if ((rc = digest_of_buffer(&got, data, len)) == 0 && !digest_equal(&got, d))
        rc = berth_fail(BERTH_EDIGEST, "blob %s in the store hashes to %s: the file %s is corrupt — "
                        "run `berth fsck --repair` and pull the image again", d->text, got.text, p);
    if (rc == 0) {
        *out = data;
        if (len_out)
            *len_out = len;
        data = NULL;
    }
out:
    free(data);
    free(p);
    return rc;
}

/* Writes a verified in-memory blob to a uniquely named file in ingest/, then renames it into
 * blobs/: concurrent puts of one blob each rename identical bytes, so no lock is needed. */
int store_blob_put(berth_t *b, const berth_digest *d, const void *data, size_t len)
{
    berth_digest got;
    int rc = digest_of_buffer(&got, data, len);
    if (rc)
        return rc;
    if (!digest_equal(&got, d))
        return berth_fail(BERTH_EDIGEST, "store blob %s: the %zu bytes given hash to %s; they were changed on "
                          "the way — fetch them again", d->text, len, got.text);
    if (store_blob_exists(b, d, NULL))
        return 0;
    char *blob = store_blob_path(b, d), *dir = fs_join(b->root, "ingest");
    ingest_file *f = NULL;
    if (!blob || !dir) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = ingest_file_create_temp(&f, dir)) != 0 || (rc = ingest_file_write(f, data, len)) != 0 ||
        (rc = ingest_file_sync(f)) != 0 || (rc = fs_rename_durable(ingest_file_path(f), blob)) != 0) {
        ingest_file_remove(f);
        f = NULL;
        rc = berth_wrap(rc, "store blob %s", d->text);
    }
out:
    ingest_file_close(f);
    free(dir);
    free(blob);
    return rc;
}

/* Hashes what a previous attempt left, in fixed chunks, so the resumed hash state matches the
 * bytes on disk and memory stays flat whatever the partial's size. */
static int ingest_rehash(store_ingest *w)
{
    unsigned char *buf = malloc(CHUNK);
    size_t got = 0;
    int rc = buf ? 0 : berth_fail_oom();
    while (rc == 0 && (rc = ingest_file_read(w->file, buf, CHUNK, &got)) == 0 && got > 0) {
        rc = digest_update(w->hash, buf, got);
        w->offset += (int64_t)got;
    }
    free(buf);
    return rc;
}

int store_ingest_open(store_ingest **out, berth_t *b, const berth_digest *expected, int64_t expected_size)
{
    if (!out || !b || !expected)
        return berth_fail(BERTH_EINVAL, "store_ingest_open: NULL argument");
    *out = NULL;
    store_ingest *w = calloc(1, sizeof *w);
    int rc = 0;
    if (!w)
        return berth_fail_oom();
    w->b = b;
    w->want = *expected;
    w->want_size = expected_size;
    if (!(w->partial = path_in(b, "ingest", digest_hex(expected), ".partial"))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = ingest_file_open(&w->file, w->partial)) != 0 || (rc = digest_begin(&w->hash)) != 0)
        goto out;
    /* A partial longer than the blob can only be garbage: start over rather than hash it. */
    if (expected_size >= 0 && ingest_file_size(w->file) > expected_size)
        rc = ingest_file_truncate(w->file);
    if (rc == 0)
        rc = ingest_rehash(w);
out:
    if (rc) {
        rc = berth_wrap(rc, "ingest %s", expected->text);
        store_ingest_abort(w);
    } else {
        *out = w;
    }
    return rc;
}

int64_t store_ingest_offset(const store_ingest *w) { return w ? w->offset : 0; }

int store_ingest_write(store_ingest *w, const void *data, size_t len)
{
    int rc;
    if (w->want_size >= 0 && (uint64_t)w->offset + len > (uint64_t)w->want_size) {
        /* The sender is not sending the blob we asked for: what we have is suspect too. */
        int64_t had = w->offset;
        if ((rc = store_ingest_reset(w)) != 0)
            return rc;
        return berth_fail(BERTH_EDIGEST, "ingest %s: the server sent more than the %lld bytes the manifest declares "
                          "(%lld + %zu); discarded the partial download — pull again, and check the registry or proxy "
                          "if it repeats", w->want.text, (long long)w->want_size, (long long)had, len);
    }
    if ((rc = ingest_file_write(w->file, data, len)) != 0 || (rc = digest_update(w->hash, data, len)) != 0)
        return berth_wrap(rc, "ingest %s", w->want.text);
    w->offset += (int64_t)len;
    return 0;
}

int store_ingest_reset(store_ingest *w)
{
    int rc = ingest_file_truncate(w->file);
    digest_ctx *fresh = NULL;
    if (rc == 0 && (rc = digest_begin(&fresh)) == 0) {
        digest_free(w->hash);
        w->hash = fresh;
        w->offset = 0;
    }
    return rc ? berth_wrap(rc, "ingest %s: start over", w->want.text) : 0;
}

static void ingest_free(store_ingest *w)
{
    ingest_file_close(w->file);
    digest_free(w->hash);
    free(w->partial);
    free(w);
}

/* Verifies the partial against size and digest; on a mismatch deletes it (its bytes are wrong,
 * resuming would only extend them) — except when it is merely short, which a resume completes. */
static int ingest_verify(store_ingest *w)
{
    berth_digest got;
    int rc;
    if (w->want_size >= 0 && w->offset < w->want_size)
        return berth_fail(BERTH_EDIGEST, "blob %s is incomplete: %lld of %lld bytes arrived; the partial download "
                          "is kept — pull again to resume it", w->want.text, (long long)w->offset, (long long)w->want_size);
    if ((rc = digest_final(&got, w->hash)) != 0)
        return rc;
    if (!digest_equal(&got, &w->want)) {
        ingest_file_remove(w->file);
        w->file = NULL;
        return berth_fail(BERTH_EDIGEST, "blob %s: the %lld bytes downloaded hash to %s; the registry or a proxy changed "
                          "them, so the download was deleted — pull again, and check the registry or proxy if it repeats",
                          w->want.text, (long long)w->offset, got.text);
    }
    return 0;
}

int store_ingest_commit(store_ingest *w)
{
    if (!w)
        return berth_fail(BERTH_EINVAL, "store_ingest_commit: NULL ingest");
    char *blob = store_blob_path(w->b, &w->want);
    int rc = blob ? 0 : BERTH_ENOMEM;
    if (rc)
        goto out;
    if (store_blob_exists(w->b, &w->want, NULL)) {
        /* Someone else committed it first: ours is redundant, theirs is verified. */
        ingest_file_remove(w->file);
        w->file = NULL;
        goto out;
    }
    if ((rc = ingest_file_sync(w->file)) != 0 || (rc = ingest_verify(w)) != 0)
        goto out;
    /* Rename last, while still holding the lock: readers must never see an unverified blob. */
    rc = fs_rename_durable(w->partial, blob);
out:
    if (rc)
        berth_wrap(rc, "commit blob");
    free(blob);
    ingest_free(w);
    return rc;
}

void store_ingest_abort(store_ingest *w)
{
    if (w)
        ingest_free(w);
}
