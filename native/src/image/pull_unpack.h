/* Unpacking during a pull. Each layer unpacks on a worker thread as soon as its blob is
 * verified, while later blobs still download. Layers need no order: each lands in its own
 * folder named by its chain id, which the config's diff_ids fix before any byte arrives.
 * Workers never call the caller's progress callback (berth.h promises it runs on the calling
 * thread); they record their progress, and the pull relays it from its own thread. */
#ifndef BERTH_IMAGE_PULL_UNPACK_H
#define BERTH_IMAGE_PULL_UNPACK_H
#include "berth.h"
#include "store/store.h"

typedef struct pull_unpacker pull_unpacker;

/* layers: base first (borrowed until pull_unpacker_free). */
int pull_unpacker_start(pull_unpacker **out, berth_t *b, const store_layer *layers, size_t n);
/* The blob is verified and in the store: queue every layer that uses it. */
void pull_unpacker_blob_ready(pull_unpacker *u, const berth_digest *blob);
/* Reports what the workers did since the last call; returns non-zero when fn asked to cancel
 * (the workers are then told to stop). */
int pull_unpacker_relay(pull_unpacker *u, berth_progress_fn fn, void *payload);
/* Waits for every layer, relaying progress; returns the first failure with its message. */
int pull_unpacker_finish(pull_unpacker *u, berth_progress_fn fn, void *payload);
/* Cancels what still runs, joins the workers, frees. NULL is fine. */
void pull_unpacker_free(pull_unpacker *u);

#endif
