/* The parts of garbage collection (berth_prune, store/prune.c) beyond blobs: the exclusive
 * lock, unpacked layer folders and stale partial ingests.
 *
 * Lifecycle of one prune: gc_lock (one prune per store at a time, across processes) →
 * store_lease_sweep (dead processes' leases stop counting) → one write transaction: untagged
 * images (with --all), unreferenced blobs, then gc_layers_sweep: every layers/<chain-hex>/ that
 * no image's chain needs and no live lease holds goes through layer_remove (renamed aside,
 * then deleted — a crash leaves only a tmp- folder, which layer_clean_tmp removes), still
 * inside the transaction, so no image commit can slip in between the decision and the removal
 * → after the commit gc_ingests: partial downloads and put temporaries older than the grace
 * period whose lock nobody holds → gc_lock_release.
 * A pull that unpacks layers before its image commit must lease their chain ids
 * ("sha256:<chain-hex>") as it leases blobs. */
#ifndef BERTH_GC_H
#define BERTH_GC_H
#include "berth.h"
#include "gc/gc_fs.h"
#include <sqlite3.h>
#include <stdint.h>

#define GC_INGEST_GRACE_DEFAULT (24 * 3600) /* partial downloads stay resumable for a day */

typedef struct gc_lock gc_lock;
/* BERTH_EBUSY when another process is pruning this store. */
int gc_lock_take(gc_lock **out, berth_t *b);
void gc_lock_release(gc_lock *l);

/* Inside a write transaction: removes (layer_remove) every layers/<chain-hex>/ that no
 * image's chain needs and no live lease holds; counts folders and bytes. */
int gc_layers_sweep(berth_t *b, sqlite3 *db, int64_t *removed, int64_t *bytes);

/* Removes ingest/<hex>.partial older than grace_s seconds that no live writer holds locked,
 * and ingest/put-* temporaries (unlocked) older than grace_s and at least ten minutes; counts
 * and bytes into *removed and *bytes. */
int gc_ingests(berth_t *b, int64_t grace_s, int64_t *removed, int64_t *bytes);

/* 1 when the containers table exists and a container uses image_id, 0 when not (or when the
 * store has no containers table yet), negative on failure. */
int gc_container_uses(sqlite3 *db, const char *image_id);


#endif
