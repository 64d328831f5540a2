/* The store: content-addressed blobs plus SQLite metadata under one root.
 *
 * Lifecycle of a blob: store_ingest_open (takes a cross-process lock on ingest/<hex>.partial,
 * resumes what a killed or cancelled pull left) → store_ingest_write … → store_ingest_commit
 * (fsync, size + digest check, rename into blobs/sha256/<hex>, fsync the directory; a mismatch
 * deletes the partial and fails BERTH_EDIGEST). A blob already present is success. Readers only
 * ever see verified blobs.
 *
 * Lifecycle of an image: blobs first, then store_image_commit writes manifest, config, layers
 * and tag rows in one transaction — an image is visible all at once or not at all. Pulls in
 * flight hold a lease on their digests, so garbage collection skips them.
 *
 * Layout: <root>/berth.db, blobs/sha256/<hex>, ingest/<hex>.partial, layers/<chain-hex>/,
 * containers/<id>/, auth.json (0600). */
#ifndef BERTH_STORE_H
#define BERTH_STORE_H
#include "berth.h"
#include "core/digest.h"
#include "core/handle.h"
#include <stddef.h>
#include <stdint.h>

/* ---- content ---- */

/* malloc'ed <root>/blobs/sha256/<hex>. */
char *store_blob_path(berth_t *b, const berth_digest *d);
/* 1 when the verified blob is present (its size in *size_out if non-NULL), else 0. */
int store_blob_exists(berth_t *b, const berth_digest *d, int64_t *size_out);
/* Reads a small blob (manifest, config) of at most max bytes. */
int store_blob_read(char **out, size_t *len_out, berth_t *b, const berth_digest *d, size_t max);
/* Stores a small in-memory blob after checking its digest (BERTH_EDIGEST on mismatch). */
int store_blob_put(berth_t *b, const berth_digest *d, const void *data, size_t len);

typedef struct store_ingest store_ingest;

/* expected_size < 0: unknown. BERTH_EBUSY when another process is writing the same blob right
 * now (the caller waits and then finds the blob present, or retries). */
int store_ingest_open(store_ingest **out, berth_t *b, const berth_digest *expected, int64_t expected_size);
/* Bytes already on disk (already hashed): resume a download from here with a Range request. */
int64_t store_ingest_offset(const store_ingest *w);
int store_ingest_write(store_ingest *w, const void *data, size_t len);
/* Start over from byte 0 (the server ignored our Range request). */
int store_ingest_reset(store_ingest *w);
/* Verifies and publishes the blob; frees w whatever the result. */
int store_ingest_commit(store_ingest *w);
/* Keeps the partial file for a later resume and releases the lock; frees w. NULL is fine. */
void store_ingest_abort(store_ingest *w);

/* ---- metadata ---- */

int store_meta_open(berth_t *b);     /* opens/migrates berth.db (WAL); used by berth_open */
void store_meta_close(berth_t *b);
/* The connection, for concerns with their own tables (container/). Serialised by SQLite. */
struct sqlite3 *store_meta_db(berth_t *b);

typedef struct {
    berth_digest digest;     /* compressed blob digest */
    int64_t size;
    const char *media_type;
    berth_digest diff_id;    /* uncompressed digest from the config's rootfs.diff_ids */
} store_layer;

typedef struct {
    const char *repository;      /* "docker.io/library/busybox" */
    const char *tag;             /* NULL: keep by digest only */
    berth_digest manifest_digest;
    const char *manifest_media_type;
    berth_digest config_digest;  /* the image id is the config digest, as in docker */
    const char *os, *arch, *variant, *os_version;
    int64_t size;                /* sum of layer sizes + config */
    const store_layer *layers;   /* base first */
    size_t n_layers;
    const char *index_digest;    /* manifest list the image was chosen from, or NULL */
} store_image;

/* One transaction: the image, its layers, its repository digest (repository@manifest_digest)
 * and its tag (the tag moves if it pointed elsewhere). The manifest and config blobs must
 * already be in the content store (store_blob_put): BERTH_ENOTFOUND otherwise. Committing an
 * image that exists again is fine (it updates the row and adds the tag). */
int store_image_commit(berth_t *b, const store_image *img);

/* Leases keep blobs out of garbage collection while an operation runs. A lease left by a
 * killed process expires (its owner pid is gone). Order matters: lease a digest BEFORE checking
 * whether its blob is present (berth_prune runs in one transaction, so a lease either lands
 * before it — the blob is kept — or after it, and the check then sees the blob gone). */
int store_lease_begin(int64_t *lease_out, berth_t *b, const char *purpose);
int store_lease_add(berth_t *b, int64_t lease, const berth_digest *d);
int store_lease_end(berth_t *b, int64_t lease);
/* Deletes leases whose owner process is gone; *swept (if non-NULL) counts them. */
int store_lease_sweep(berth_t *b, int64_t *swept);
/* 1 when a live lease holds d (and 1 when the database cannot tell: keep rather than lose). */
int store_lease_held(berth_t *b, const berth_digest *d);

#endif
