/* Layers: turning a layer blob into a directory, safely, in one streaming pass.
 *
 * Lifecycle of one unpack:
 *   bytes (a read callback, so a pull can feed them as they arrive; or a file)
 *     → sha256 of the compressed bytes (the blob digest)
 *     → decompression chosen by the media type and checked against the stream's magic
 *     → sha256 of the tar stream (the diff_id) and the size policy (bytes, entries)
 *     → each entry checked (layer_path_clean, policy) and written below one directory with
 *       fd-relative, no-follow calls (writer_posix.c): nothing is ever written through a
 *       symlink, outside the directory, or onto an inode we did not create.
 *
 * Two modes share that pipeline:
 *   - store (overlay) mode, layer_unpack_to_store: into <root>/layers/tmp-<random>/, whiteouts
 *     become overlayfs whiteouts (char device 0/0) and opaque directories (xattr
 *     trusted.overlay.opaque=y); the diff_id is checked, everything is synced, and the folder
 *     is renamed to <root>/layers/<chain-hex>/. That rename is the commit: a layer is present
 *     iff its folder exists. Refused or failed unpacks leave nothing behind.
 *   - apply mode, layer_apply / berth_layer_apply: onto a plain directory, whiteouts applied by
 *     removal (an opaque marker empties the directory of what lower layers put there), like
 *     docker's flattening.
 * Windows layers (Files/, Hives/, UtilityVM/, MSWINDOWS.* PAX records) are detected and staged:
 * files under the layer folder plus a sidecar manifest (layer_windows.h, docs/architecture.md). */
#ifndef BERTH_LAYER_H
#define BERTH_LAYER_H
#include "berth.h"
#include "core/digest.h"
#include <stddef.h>
#include <stdint.h>

/* ---- compression ---- */

typedef enum {
    LAYER_COMPRESSION_DETECT = 0, /* from the stream's magic */
    LAYER_COMPRESSION_NONE,
    LAYER_COMPRESSION_GZIP,
    LAYER_COMPRESSION_ZSTD
} layer_compression;

/* Maps an OCI or Docker layer media type (incl. foreign / non-distributable variants) to its
 * compression. NULL or "" → DETECT. BERTH_EUNSUPPORTED naming the type otherwise. */
int layer_media_compression(layer_compression *out, const char *media_type);
const char *layer_compression_name(layer_compression c);

/* ---- chain ids (OCI image spec) ---- */

/* ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
 * parent NULL: the base layer. */
int layer_chain_id(berth_digest *out, const berth_digest *parent, const berth_digest *diff_id);

/* ---- policy and results ---- */

#define LAYER_DEFAULT_MAX_BYTES   (64ULL << 30)  /* uncompressed tar bytes */
#define LAYER_DEFAULT_MAX_ENTRIES 10000000ULL

/* Source of compressed bytes: set *buf and *len to the next chunk (owned by the callee, valid until
 * the next call); *len == 0 is the end. Return 0, or a negative BERTH_E* with a message set. */
typedef int (*layer_read_fn)(void *payload, const void **buf, size_t *len);

typedef struct {
    uint64_t max_bytes;          /* 0: LAYER_DEFAULT_MAX_BYTES */
    uint64_t max_entries;        /* 0: LAYER_DEFAULT_MAX_ENTRIES */
    int allow_devices;           /* write char/block device entries (refused by default) */
    const berth_digest *expected_digest; /* compressed blob digest to check as well; NULL: none */
    uint64_t total;              /* compressed size for progress; 0: unknown */
    const char *id;              /* progress id (the blob digest), or NULL */
    const char *const *lower_dirs; /* store mode: folders of the layers below, nearest first:
                                      directories this layer only implies inherit their owner,
                                      mode and times from there (optional, recommended) */
    size_t n_lower_dirs;
    berth_progress_fn progress;  /* phase "unpack": compressed bytes read; non-zero cancels */
    void *progress_payload;
} layer_options;

typedef struct {
    berth_digest digest;         /* sha256 of the compressed bytes read */
    berth_digest diff_id;        /* sha256 of the uncompressed tar stream */
    berth_digest chain_id;       /* store mode only */
    uint64_t compressed_bytes;
    uint64_t tar_bytes;
    uint64_t entries;
    layer_compression compression;
    int windows;                 /* a Windows layer was staged (sidecar manifest written) */
    int existed;                 /* store mode: the layer was already present; nothing read */
} layer_result;

/* ---- store (overlay) mode: what the pull calls, once per layer, base first ---- */

/* Unpacks one layer into <root>/layers/<chain-hex>/ (see the lifecycle above).
 * media_type: the manifest's layer media type (NULL: detect). expected_diff_id: the config's
 * rootfs.diff_ids[n] (NULL: trust the stream — only for layers without a config).
 * parent_chain: the chain id of the layer below (NULL for the base layer).
 * When the layer is already present, returns 0 with out->existed = 1 without reading.
 * Errors: BERTH_EDIGEST (diff_id or digest mismatch), BERTH_EUNSAFE (hostile entry, bomb; the
 * message names the entry and why), BERTH_EUNSUPPORTED (media type / magic mismatch),
 * BERTH_ECANCELED. On any error nothing is committed and the temporary folder is removed. */
int layer_unpack_to_store(layer_result *out, berth_t *b, layer_read_fn read, void *read_payload,
                          const char *media_type, const berth_digest *expected_diff_id,
                          const berth_digest *parent_chain, const layer_options *opts);
/* The same, reading a blob file (the blob under <root>/blobs). */
int layer_unpack_file_to_store(layer_result *out, berth_t *b, const char *blob_path,
                               const char *media_type, const berth_digest *expected_diff_id,
                               const berth_digest *parent_chain, const layer_options *opts);
/* malloc'ed <root>/layers/<chain-hex>. */
char *layer_dir(berth_t *b, const berth_digest *chain_id);
/* 1 when the committed layer folder exists, else 0. */
int layer_present(berth_t *b, const berth_digest *chain_id);
/* Removes temporary folders left by killed unpacks: unlocked and idle for a minute. Every
 * store unpack calls it first, so a kill -9 heals by itself. */
int layer_clean_tmp(berth_t *b);

/* ---- apply mode ---- */

int layer_apply(layer_result *out, layer_read_fn read, void *read_payload, const char *media_type,
                const char *dir, const layer_options *opts);
int layer_apply_file(layer_result *out, const char *layer_path, const char *media_type,
                     const char *dir, const layer_options *opts);

#endif
