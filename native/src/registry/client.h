/* Inside the registry client: the state one operation carries (host, credentials, the tokens
 * it obtained) and the blocking request helper that manifests, configs, tokens and login use.
 * blobs.c drives its own curl multi loop but borrows the auth and URL rules from here. */
#ifndef BERTH_REGISTRY_CLIENT_H
#define BERTH_REGISTRY_CLIENT_H
#include "core/buf.h"
#include "registry/registry.h"
#include "registry/curl_lib.h"

#define CLIENT_MAX_TOKENS 8

typedef struct {
    char *scope;
    char *token;
} client_token;

struct registry_client {
    berth_t *b;
    char *domain;          /* as the reference wrote it: "docker.io", "127.0.0.1:5000" */
    char *host;            /* where the API lives: "registry-1.docker.io", "127.0.0.1:5000" */
    char *base;            /* "https://host" or "http://host" */
    int insecure;          /* plain HTTP (loopback or $BERTH_INSECURE_REGISTRIES) */
    char *user, *pass;     /* credentials, or NULL for anonymous */
    char cred_source[160]; /* where they came from, for messages */
    int creds_ready;       /* looked up (or set explicitly) already */
    int pinged;
    registry_challenge ch; /* what /v2/ asked for */
    client_token tokens[CLIENT_MAX_TOKENS];
    size_t n_tokens;
    registry_cancel_fn cancel;
    void *cancel_payload;
    CURL *easy;            /* reused by the blocking requests: keeps the connection alive */
    unsigned seed;         /* jitter for backoff */
    long stall_seconds;    /* a transfer below 1 byte/s for this long is a stall */
    int curl_inited;
    int push;              /* tokens ask for pull,push (registry_client_set_push) */
    char *mount_from;      /* push: also ask pull on this repository (cross-repository mount) */
};

typedef struct {
    long status;
    char *content_type, *docker_digest, *www_authenticate, *location, *retry_after, *content_range;
    berth_buf body;
} client_response;

void client_response_clear(client_response *r);

/* Options common to every easy handle: timeouts, stall detection, TLS, no signals. */
void client_setup_easy(registry_client *c, CURL *e);
/* Header callback that fills a client_response (reset on every status line). */
size_t client_header_cb(char *buf, size_t size, size_t n, void *userdata);

/* GET base + path with auth for repo (NULL: the /v2/ probe), following redirects and retrying
 * transient failures; on return resp holds a final status (any, the caller judges it).
 * accept may be NULL. max caps the body. */
int client_get(registry_client *c, const char *repo, const char *path, const char *accept, size_t max,
               client_response *resp);
/* GET url as is: retries transient failures, follows no redirect, adds auth (a header line) verbatim. */
int client_get_raw(registry_client *c, const char *url, const char *auth, size_t max, client_response *resp);
/* A message fragment for a non-2xx response: "HTTP 404 (MANIFEST_UNKNOWN: manifest unknown)". */
void client_describe_status(const client_response *r, char *buf, size_t len);
/* Maps a final non-2xx response to a BERTH_E* failure with a message naming what. */
int client_fail_status(registry_client *c, const client_response *r, const char *what);
/* Maps a curl error to BERTH_ENETWORK with advice (TLS, DNS, refused, timeout). */
int client_fail_curl(registry_client *c, CURLcode cc, const char *errbuf, const char *url);
/* Whether a curl result is worth another attempt. */
int client_curl_retryable(CURLcode cc);

/* Resolves location against url; *out_url malloc'ed. Refuses schemes other than https, and
 * http for hosts that are not insecure. *same_host_out: same scheme+host+port as c->base. */
int client_resolve_redirect(registry_client *c, const char *url, const char *location, char **out_url,
                            int *same_host_out);
/* Whether url may be fetched at all (https, or http to an insecure host). */
int client_url_allowed(registry_client *c, const char *url, const char *what);

/* "Authorization: …" header line for a request on repo (NULL: none needed); *out malloc'ed or NULL.
 * Fetches a Bearer token on first use for the repository's pull scope. */
int client_auth_header(registry_client *c, const char *repo, char **out);
/* After a 401 with this WWW-Authenticate: forget the token and get a fresh one. */
int client_reauth(registry_client *c, const char *repo, const char *www_authenticate);
int client_load_credentials(registry_client *c);

/* Sends the request set up on c->easy (client_setup_easy, URL, method): adds the header list
 * h (and frees it), fills resp's headers through client_header_cb and its body through write_cb,
 * asks xferinfo_cb(xfer_data) to cancel; resp->status is set when the transfer completes. */
CURLcode client_perform(registry_client *c, struct curl_slist *h, curl_write_callback write_cb,
                        curl_xferinfo_callback xferinfo_cb, void *xfer_data, client_response *resp, char *errbuf);
/* A 3xx with Location: replaces *url with the resolved next URL (client_resolve_redirect) and
 * clears *same_host when it leaves the registry's origin; fails after REGISTRY_MAX_REDIRECTS. */
int client_follow_redirect(registry_client *c, char **url, const char *location, int *redirects, int *same_host);
/* Sleeps before another attempt: Retry-After when the response has one, else backoff. */
void client_wait_to_retry(registry_client *c, const client_response *r, int attempt);

int client_canceled(registry_client *c);
void client_sleep_ms(registry_client *c, long ms);
/* Milliseconds of the calendar clock (C11 timespec_get), for deadlines and progress pacing. */
long long client_now_ms(void);

#endif
