/* Content digests ("sha256:<64 hex>"), computed while streaming with OpenSSL EVP. */
#ifndef BERTH_CORE_DIGEST_H
#define BERTH_CORE_DIGEST_H
#include <stddef.h>

#define DIGEST_TEXT_MAX 80  /* "sha512:" + 128 hex would not fit; we accept sha256 only */

typedef struct {
    char text[DIGEST_TEXT_MAX]; /* "sha256:0123…" */
} berth_digest;

typedef struct digest_ctx digest_ctx;

/* Validates "sha256:<64 lowercase hex>"; BERTH_EINVAL (with a message naming s) otherwise. */
int digest_parse(berth_digest *out, const char *s);
/* The 64-char hex part of a parsed digest. */
const char *digest_hex(const berth_digest *d);
int digest_equal(const berth_digest *a, const berth_digest *b);

int digest_begin(digest_ctx **out);
int digest_update(digest_ctx *c, const void *data, size_t len);
/* Copies the running state, so a resumed download can hash what is already on disk once. */
int digest_final(berth_digest *out, digest_ctx *c);
void digest_free(digest_ctx *c);

int digest_of_buffer(berth_digest *out, const void *data, size_t len);
/* Reads the whole file in fixed chunks (memory flat in file size). */
int digest_of_file(berth_digest *out, const char *path);

#endif
