/* Manifests and small blobs over the registry API, each capped in size and verified: the
 * digest is always computed over the exact bytes received and must match what was asked for
 * and what the registry said (Docker-Content-Digest). */
#include "core/error.h"
#include "core/json.h"
#include "registry/client.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ACCEPT_MANIFESTS[] =
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

void registry_manifest_raw_clear(registry_manifest_raw *m)
{
    free(m->data);
    free(m->media_type);
    memset(m, 0, sizeof *m);
}

static int ensure_pinged(registry_client *c)
{
    return c->pinged ? 0 : registry_ping(c);
}

/* "type/subtype; charset=…" → "type/subtype" */
static char *bare_media_type(const char *ct)
{
    size_t n = strcspn(ct, "; \t");
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, ct, n);
        p[n] = '\0';
    }
    return p;
}

int registry_get_manifest(registry_manifest_raw *out, registry_client *c, const char *repo, const char *reference)
{
    memset(out, 0, sizeof *out);
    client_response r = { 0 };
    berth_buf path = BERTH_BUF_INIT(4096);
    int by_digest = strncmp(reference, "sha256:", 7) == 0;
    int rc = ensure_pinged(c);
    if (rc)
        goto out;
    if ((rc = buf_printf(&path, "/v2/%s/manifests/%s", repo, reference)) != 0)
        goto out;
    if ((rc = client_get(c, repo, path.data, ACCEPT_MANIFESTS, REGISTRY_MANIFEST_MAX, &r)) != 0)
        goto out;
    if (r.status != 200) {
        rc = client_fail_status(c, &r, "manifest");
        goto out;
    }
    if ((rc = digest_of_buffer(&out->digest, r.body.data ? r.body.data : "", r.body.len)) != 0)
        goto out;
    if (by_digest) {
        berth_digest want;
        if ((rc = digest_parse(&want, reference)) != 0)
            goto out;
        if (!digest_equal(&want, &out->digest)) {
            rc = berth_fail(BERTH_EDIGEST, "manifest %s: the registry sent a document that hashes to %s — the "
                            "registry or a proxy altered it; nothing was stored", reference, out->digest.text);
            goto out;
        }
    }
    if (r.docker_digest && strncmp(r.docker_digest, "sha256:", 7) == 0 && strcmp(r.docker_digest, out->digest.text) != 0) {
        rc = berth_fail(BERTH_EDIGEST, "manifest %s: the registry says its digest is %s but the bytes received hash "
                        "to %s — a proxy altered it, or the registry is broken; nothing was stored", reference,
                        r.docker_digest, out->digest.text);
        goto out;
    }
    if (r.content_type && *r.content_type && !(out->media_type = bare_media_type(r.content_type))) {
        rc = berth_fail_oom();
        goto out;
    }
    out->len = r.body.len;
    out->data = buf_detach(&r.body);
    if (!out->data)
        rc = berth_fail_oom();
out:
    if (rc) {
        rc = berth_wrap(rc, "get manifest %s/%s%s%s", c->domain, repo, by_digest ? "@" : ":", reference);
        registry_manifest_raw_clear(out);
    }
    buf_free(&path);
    client_response_clear(&r);
    return rc;
}

int registry_get_blob_small(char **out, size_t *len_out, registry_client *c, const char *repo,
                            const berth_digest *d, size_t max)
{
    *out = NULL;
    client_response r = { 0 };
    berth_buf path = BERTH_BUF_INIT(4096);
    berth_digest got;
    int rc = ensure_pinged(c);
    if (rc == 0)
        rc = buf_printf(&path, "/v2/%s/blobs/%s", repo, d->text);
    if (rc == 0)
        rc = client_get(c, repo, path.data, NULL, max, &r);
    if (rc)
        goto out;
    if (r.status != 200) {
        rc = client_fail_status(c, &r, "blob");
        goto out;
    }
    if ((rc = digest_of_buffer(&got, r.body.data ? r.body.data : "", r.body.len)) != 0)
        goto out;
    if (!digest_equal(&got, d)) {
        rc = berth_fail(BERTH_EDIGEST, "the bytes received hash to %s — the registry or a proxy altered them; "
                        "nothing was stored", got.text);
        goto out;
    }
    *len_out = r.body.len;
    if (!(*out = buf_detach(&r.body)))
        rc = berth_fail_oom();
out:
    if (rc)
        rc = berth_wrap(rc, "get blob %s/%s@%s", c->domain, repo, d->text);
    buf_free(&path);
    client_response_clear(&r);
    return rc;
}
