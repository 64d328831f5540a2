/* The registry client: the OCI distribution protocol over libcurl.
 *
 * Lifecycle: registry_client_new (one per operation — a pull, a login — so tokens and
 * credentials live in the operation, never in process-wide state) → registry_ping (GET /v2/,
 * learns the auth challenge) → registry_get_manifest / registry_get_blob_small /
 * registry_fetch_blobs (each request carries the Authorization this client negotiated for the
 * repository; a 401 refreshes a Bearer token once) → registry_client_free.
 *
 * Transport rules: plain HTTP only for reference_is_insecure hosts (loopback), TLS otherwise;
 * redirects are followed by hand (at most REGISTRY_MAX_REDIRECTS) and Authorization is only
 * ever sent to the registry's own host; every body read into memory has a ceiling. */
#ifndef BERTH_REGISTRY_H
#define BERTH_REGISTRY_H
#include "berth.h"
#include "core/digest.h"
#include <stddef.h>
#include <stdint.h>

#define REGISTRY_MANIFEST_MAX (4u << 20)   /* manifests and indexes: 4 MiB, like containerd */
#define REGISTRY_CONFIG_MAX (8u << 20)     /* image configs */
#define REGISTRY_TOKEN_MAX (1u << 20)      /* token responses */
#define REGISTRY_ERRBODY_MAX (16u << 10)   /* error bodies we keep for messages */
#define REGISTRY_MAX_REDIRECTS 5
#define REGISTRY_MAX_ATTEMPTS 6            /* per request, for resets / 5xx / 429 */

typedef struct registry_client registry_client;

/* Cancellation for the blocking calls: return non-zero to stop (BERTH_ECANCELED). */
typedef int (*registry_cancel_fn)(void *payload);

/* domain: as in a reference ("127.0.0.1:5000", "docker.io"). b: the store (for auth.json);
 * may be NULL (then only the docker config.json is consulted). */
int registry_client_new(registry_client **out, berth_t *b, const char *domain);
void registry_client_free(registry_client *c);
/* Uses these credentials instead of looking them up (berth login). */
int registry_client_set_credentials(registry_client *c, const char *user, const char *pass);
void registry_client_set_cancel(registry_client *c, registry_cancel_fn fn, void *payload);
const char *registry_client_domain(const registry_client *c);

/* GET /v2/: reachability and the auth challenge. */
int registry_ping(registry_client *c);
/* Proves the credentials: for Basic, /v2/ answers 200; for Bearer, the token service issues a
 * token. BERTH_EAUTH when refused. */
int registry_check_login(registry_client *c);

typedef struct {
    char *data;          /* the exact bytes (the digest is over them) */
    size_t len;
    char *media_type;    /* Content-Type, else the document's mediaType; may be NULL */
    berth_digest digest; /* computed over data; equals the header's and the requested digest */
} registry_manifest_raw;

/* GET /v2/<repo>/manifests/<reference>: reference is a tag or a digest. The digest is always
 * computed; it must equal a requested digest and the Docker-Content-Digest header. */
int registry_get_manifest(registry_manifest_raw *out, registry_client *c, const char *repo, const char *reference);
void registry_manifest_raw_clear(registry_manifest_raw *m);

/* GET a small blob (the image config) into memory, capped at max, digest verified. */
int registry_get_blob_small(char **out, size_t *len_out, registry_client *c, const char *repo,
                            const berth_digest *d, size_t max);

/* ---- parallel blob download into the store (blobs.c) ---- */

typedef struct {
    berth_digest digest;
    int64_t size;                /* from the manifest; the download may not exceed it */
    const char *media_type;
    const char *const *urls;     /* foreign layers: where else the blob lives */
    size_t n_urls;
} registry_blob;

typedef struct {
    int max_concurrent;          /* <= 0: 3 */
    int allow_foreign;           /* try urls after the registry */
    berth_progress_fn progress;  /* "download", "exists", "verify", "done", "retry", "wait" */
    void *progress_payload;
    /* Called on the calling thread right after blob i is verified and present (downloaded or
     * already there); where unpacking plugs in. Non-zero fails the fetch with that code. */
    int (*after_commit)(size_t i, const registry_blob *blob, void *payload);
    void *after_commit_payload;
} registry_fetch_options;

/* Downloads every blob not yet in the store, in parallel (curl multi), resuming partial
 * ingests with Range, retrying resets/5xx/429 with backoff (Retry-After honoured), and
 * committing each only after its digest and size check. */
int registry_fetch_blobs(registry_client *c, berth_t *b, const char *repo, const registry_blob *blobs, size_t n,
                         const registry_fetch_options *opts);

/* ---- pieces shared by the client files (and unit-tested) ---- */

/* ASCII case-insensitive compare of at most n bytes (strncasecmp is not in C11 nor on MSVC). */
static inline int registry_strncaseeq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
    return 1;
}

/* WWW-Authenticate: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
typedef struct {
    char scheme[16];   /* "bearer", "basic" (lowercase) or "" */
    char *realm, *service, *scope, *error;
} registry_challenge;
int registry_parse_challenge(registry_challenge *out, const char *header);
void registry_challenge_clear(registry_challenge *ch);

/* Retry-After: delta seconds or an HTTP date; returns milliseconds to wait (capped), or -1. */
long registry_retry_after_ms(const char *value, long cap_ms);
/* Backoff before attempt n (1-based): 250 ms doubling, capped at 8 s, with jitter from seed. */
long registry_backoff_ms(int attempt, unsigned seed);

#endif
