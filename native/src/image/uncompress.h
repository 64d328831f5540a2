/* A stored layer blob read back decompressed (gzip, zstd or plain, told by its magic), in
 * fixed chunks: load uses it to verify a compressed docker-archive layer against its diff_id,
 * save to write layers uncompressed as `docker save` does. */
#ifndef BERTH_IMAGE_UNCOMPRESS_H
#define BERTH_IMAGE_UNCOMPRESS_H
#include "core/digest.h"
#include <stddef.h>
#include <stdint.h>

typedef struct uncompress uncompress;

int uncompress_open(uncompress **out, const char *path);
/* Next chunk of decompressed bytes (valid until the next call); *len 0 at the end. */
int uncompress_read(uncompress *u, const void **buf, size_t *len);
void uncompress_close(uncompress *u);
/* sha256 and size of the decompressed bytes: the layer's diff_id. */
int uncompress_digest(berth_digest *out, uint64_t *size_out, const char *path);

#endif
