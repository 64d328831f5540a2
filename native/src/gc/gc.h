/* The parts of garbage collection (berth_prune, store/prune.c) beyond blobs: the exclusive
 * lock, unpacked layer folders and stale partial ingests.
 *
 * Lifecycle of one prune: gc_lock (one prune per store at a time, across processes) →
 * store_lease_sweep (dead processes' leases stop counting) → one write transaction: untagged
 * images (with --all), unreferenced blobs, then gc_layers_mark: every layers/<chain-hex>/ that
 * no image's chain needs and no live lease holds is renamed to layers/tmp-gc-<hex> (still
 * inside the transaction, so no image commit can slip in between the decision and the rename)
 * → after the commit gc_layers_remove deletes the renamed trees (a crash there leaves only a
 * tmp- folder, which layer_clean_tmp removes) → gc_ingests: partial downloads and put
 * temporaries older than the grace period whose lock nobody holds → gc_unlock.
 * A pull that unpacks layers before its image commit must lease their chain ids
 * ("sha256:<chain-hex>") as it leases blobs. */
#ifndef BERTH_GC_H
#define BERTH_GC_H
#include "berth.h"
#include <sqlite3.h>
#include <stdint.h>

#define GC_INGEST_GRACE_DEFAULT (24 * 3600) /* partial downloads stay resumable for a day */

typedef struct gc_lock gc_lock;
/* BERTH_EBUSY when another process is pruning this store. */
int gc_lock_take(gc_lock **out, berth_t *b);
void gc_lock_release(gc_lock *l);

typedef struct {
    char **paths;      /* renamed folders to delete after the transaction */
    size_t n;
} gc_doomed;

/* Inside a write transaction. *marked counts the layer folders renamed for removal. */
int gc_layers_mark(berth_t *b, sqlite3 *db, gc_doomed *doomed, int64_t *marked);
/* Deletes the renamed folders; adds their bytes to *bytes. Frees doomed's contents. */
int gc_layers_remove(gc_doomed *doomed, int64_t *bytes);

/* Removes ingest/<hex>.partial older than grace_s seconds that no live writer holds locked,
 * and ingest/put-* temporaries (unlocked) older than grace_s and at least ten minutes; counts
 * and bytes into *removed and *bytes. */
int gc_ingests(berth_t *b, int64_t grace_s, int64_t *removed, int64_t *bytes);

/* 1 when the containers table exists and a container uses image_id, 0 when not (or when the
 * store has no containers table yet), negative on failure. */
int gc_container_uses(sqlite3 *db, const char *image_id);

/* Apparent size of a tree (regular files), without following links. POSIX: gc_posix.c. */
int64_t gc_tree_bytes(const char *path);
/* Modification time of path (seconds since the epoch), or -1. */
int64_t gc_mtime(const char *path);

#endif
