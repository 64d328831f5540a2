/* The byte pipeline under an unpack: source → sha256 (digest) → decompressor → sha256
 * (diff_id) + size policy + a shadow reader of PAX records → libarchive's tar reader.
 * Two libarchive readers are chained (a "raw" one that only decompresses, then a tar one fed
 * through a callback) because the diff_id is the hash of the decompressed bytes, which a single
 * libarchive reader never shows. Buffers are fixed: memory does not grow with the layer. */
#ifndef BERTH_LAYER_STREAM_H
#define BERTH_LAYER_STREAM_H
#include "layer/layer.h"
#include "layer/pax_shadow.h"
#include "layer/archive_lib.h"

typedef struct layer_stream layer_stream;

/* Opens the source, reads its first bytes and checks them against media_type. */
int stream_open(layer_stream **out, layer_read_fn read, void *payload, const char *media_type,
                const layer_options *opts);
struct archive *stream_tar(layer_stream *s);
/* Non-zero when a callback failed (size policy, decompression, source, cancel): the code; its
 * message is restored into this thread's error so it wins over libarchive's summary. */
int stream_failed(layer_stream *s);
/* Reads what the tar reader left (padding), finishes both digests and the counts. */
int stream_finish(layer_stream *s, layer_result *res);
/* The Windows attributes of the index-th entry (0-based) libarchive returned, or NULL. */
const stream_winattrs *stream_winattrs_for(layer_stream *s, uint64_t index);
/* Whether any MSWINDOWS.* record was seen so far. */
int stream_saw_windows(const layer_stream *s);
layer_compression stream_compression(const layer_stream *s);
void stream_free(layer_stream *s);

/* The compression a stream's first bytes announce (NONE when none we know); *other names a
 * compression we do not support (xz, bzip2, lz4) when one is recognised. */
layer_compression stream_sniff(const unsigned char *p, size_t n, const char **other);

#endif
