/* An image archive being loaded: a tar file (docker-archive or OCI layout, optionally gzip/zstd
 * compressed) or an OCI layout directory, seen as a catalog of named entries.
 *
 * Lifecycle: archive_src_open — for a tar, pass 1 reads the whole archive once: every entry
 * name is checked (no absolute names, no "..", no devices; links may only point inside), every
 * regular file is hashed while it streams, and small JSON documents are kept in memory (capped)
 * so the planner can read manifests and configs; for a directory, entries are hashed on first
 * lookup. → archive_src_lookup (follows links, at most a few hops) → the planner marks the
 * entries it needs (entry->wanted) → archive_src_stream: pass 2 hands each wanted entry's bytes
 * to a callback, in archive order → archive_src_close. Memory stays flat in the archive size. */
#ifndef BERTH_IMAGE_ARCHIVE_SRC_H
#define BERTH_IMAGE_ARCHIVE_SRC_H
#include "berth.h"
#include "core/digest.h"
#include <stddef.h>
#include <stdint.h>

#define ARCHIVE_JSON_MAX (8u << 20)        /* one manifest, index or config kept in memory */
#define ARCHIVE_JSON_TOTAL (64u << 20)     /* all of them together */
#define ARCHIVE_MAX_ENTRIES 100000
#define ARCHIVE_MAX_ENTRY_SIZE (64LL << 30) /* a single layer file */

typedef struct {
    char *name;             /* normalised: relative, no "./", no "//" */
    char *link;             /* links: the normalised target; NULL for files */
    int64_t size;
    berth_digest digest;    /* files: sha256 of the bytes */
    unsigned char magic[4]; /* the first bytes (compression sniffing) */
    size_t n_magic;
    char *data;             /* small JSON documents, kept; else NULL */
    size_t len;
    int wanted;             /* set by the planner: pass 2 streams it */
} archive_entry_info;

typedef struct archive_src archive_src;

typedef int (*archive_progress_fn)(uint64_t bytes, void *payload);

/* progress (may be NULL) is called during pass 1 with bytes read so far; non-zero cancels. */
int archive_src_open(archive_src **out, const char *path, archive_progress_fn progress, void *payload);
void archive_src_close(archive_src *s);
int archive_src_is_dir(const archive_src *s);
/* The entry named name (after following links), or NULL with BERTH_ENOTFOUND set in *rc. */
archive_entry_info *archive_src_lookup(archive_src *s, const char *name, int *rc);

typedef struct archive_reader archive_reader;
/* Reads up to len bytes; *got 0 at the end. */
int archive_reader_read(archive_reader *r, void *buf, size_t len, size_t *got);
/* Called for every wanted entry (once per distinct file), its bytes readable through r. */
typedef int (*archive_each_fn)(archive_entry_info *e, archive_reader *r, void *payload);
int archive_src_stream(archive_src *s, archive_each_fn each, void *payload);

#endif
