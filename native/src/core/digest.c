#include "core/digest.h"
#include "core/error.h"
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct digest_ctx {
    EVP_MD_CTX *md;
};

int digest_parse(berth_digest *out, const char *s)
{
    static const char prefix[] = "sha256:";
    if (!s || strncmp(s, prefix, sizeof prefix - 1) != 0)
        return berth_fail(BERTH_EINVAL, "digest \"%s\": only sha256 digests (sha256:<64 hex>) are supported",
                          s ? s : "(null)");
    const char *hex = s + sizeof prefix - 1;
    size_t n = strlen(hex);
    if (n != 64)
        return berth_fail(BERTH_EINVAL, "digest \"%s\": expected 64 hex characters after \"sha256:\", found %zu", s, n);
    for (size_t i = 0; i < n; i++) {
        char ch = hex[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return berth_fail(BERTH_EINVAL, "digest \"%s\": character %zu is not lowercase hex", s, i + 7 + 1);
    }
    memcpy(out->text, s, sizeof prefix - 1 + 64 + 1);
    return 0;
}

const char *digest_hex(const berth_digest *d) { return d->text + 7; }

int digest_equal(const berth_digest *a, const berth_digest *b) { return strcmp(a->text, b->text) == 0; }

int digest_begin(digest_ctx **out)
{
    digest_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return berth_fail_oom();
    c->md = EVP_MD_CTX_new();
    if (!c->md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) {
        digest_free(c);
        return berth_fail(BERTH_ERROR, "sha256: OpenSSL could not start a digest");
    }
    *out = c;
    return 0;
}

int digest_update(digest_ctx *c, const void *data, size_t len)
{
    if (len && EVP_DigestUpdate(c->md, data, len) != 1)
        return berth_fail(BERTH_ERROR, "sha256: OpenSSL digest update failed");
    return 0;
}

int digest_final(berth_digest *out, digest_ctx *c)
{
    unsigned char raw[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    if (!copy || EVP_MD_CTX_copy_ex(copy, c->md) != 1 || EVP_DigestFinal_ex(copy, raw, &n) != 1 || n != 32) {
        EVP_MD_CTX_free(copy);
        return berth_fail(BERTH_ERROR, "sha256: OpenSSL digest final failed");
    }
    EVP_MD_CTX_free(copy);
    memcpy(out->text, "sha256:", 7);
    for (unsigned int i = 0; i < n; i++)
        snprintf(out->text + 7 + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

void digest_free(digest_ctx *c)
{
    if (!c)
        return;
    EVP_MD_CTX_free(c->md);
    free(c);
}

int digest_of_buffer(berth_digest *out, const void *data, size_t len)
{
    digest_ctx *c = NULL;
    int rc = digest_begin(&c);
    if (rc == 0)
        rc = digest_update(c, data, len);
    if (rc == 0)
        rc = digest_final(out, c);
    digest_free(c);
    return rc;
}

int digest_of_file(berth_digest *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return berth_fail_errno(BERTH_ERROR, errno, "hash %s", path);
    digest_ctx *c = NULL;
    int rc = digest_begin(&c);
    unsigned char buf[1 << 16];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0)
        rc = digest_update(c, buf, n);
    if (rc == 0 && ferror(f))
        rc = berth_fail_errno(BERTH_ERROR, errno, "hash %s: read", path);
    if (rc == 0)
        rc = digest_final(out, c);
    digest_free(c);
    fclose(f);
    return rc;
}
