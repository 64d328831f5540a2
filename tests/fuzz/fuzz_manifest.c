/* The registry's documents: manifest_parse (index / manifest list / image manifest) and
 * image_config_parse. The first byte picks the Content-Type the registry "sent"; the rest is
 * the body. Whatever is accepted must be usable without further checks: digests valid, sizes
 * not negative, counts within MANIFEST_MAX_ENTRIES, platform fields terminated. */
#include "fuzz.h"
#include "core/error.h"
#include "image/manifest.h"

static const char *const content_types[] = {
    NULL, MT_OCI_INDEX, MT_OCI_MANIFEST, MT_DOCKER_LIST, MT_DOCKER_MANIFEST,
    "application/vnd.docker.distribution.manifest.v1+prettyjws", "application/json", "text/html",
    MT_OCI_MANIFEST "; charset=utf-8",
};

static void check_desc(const manifest_desc *d, const char *what)
{
    berth_digest again;
    FUZZ_CHECK(digest_parse(&again, d->digest.text) == 0, "%s digest \"%s\" is not valid", what, d->digest.text);
    FUZZ_CHECK(d->size >= 0, "%s size %lld", what, (long long)d->size);
    FUZZ_CHECK(d->n_urls <= MANIFEST_MAX_URLS, "%s has %zu urls", what, d->n_urls);
    for (size_t i = 0; i < d->n_urls; i++)
        FUZZ_CHECK(d->urls[i], "%s url %zu is NULL", what, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *ct = content_types[data[0] % (sizeof content_types / sizeof content_types[0])];
    size_t len = size - 1;
    char *body = malloc(len ? len : 1);   /* exact size: no NUL after it */
    if (!body)
        return 0;
    memcpy(body, data + 1, len);

    manifest_doc m;
    berth_error_clear();
    int rc = manifest_parse(&m, body, len, ct);
    if (rc != 0) {
        fuzz_check_failure(rc, "manifest_parse");
    } else {
        FUZZ_CHECK(m.kind == MANIFEST_IMAGE || m.kind == MANIFEST_INDEX, "kind %d", (int)m.kind);
        FUZZ_CHECK(m.n <= MANIFEST_MAX_ENTRIES, "%zu entries", m.n);
        FUZZ_CHECK(m.n == 0 || m.entries, "entries NULL with n = %zu", m.n);
        if (m.kind == MANIFEST_IMAGE)
            check_desc(&m.config, "config");
        for (size_t i = 0; i < m.n; i++) {
            check_desc(&m.entries[i], m.kind == MANIFEST_INDEX ? "index entry" : "layer");
            /* a platform without os or architecture is kept (and never chosen by the pull) */
            const berth_platform *p = &m.entries[i].platform;
            FUZZ_CHECK(memchr(p->os, 0, sizeof p->os) && memchr(p->arch, 0, sizeof p->arch) &&
                           memchr(p->variant, 0, sizeof p->variant) && memchr(p->os_version, 0, sizeof p->os_version),
                       "index entry %zu: platform field not terminated", i);
        }
        manifest_doc_clear(&m);
    }

    image_config c;
    berth_error_clear();
    rc = image_config_parse(&c, body, len);
    if (rc != 0) {
        fuzz_check_failure(rc, "image_config_parse");
    } else {
        for (size_t i = 0; i < c.n_diff_ids; i++) {
            berth_digest again;
            FUZZ_CHECK(digest_parse(&again, c.diff_ids[i].text) == 0, "diff_id %zu invalid", i);
        }
        image_config_clear(&c);
    }
    free(body);
    return 0;
}
