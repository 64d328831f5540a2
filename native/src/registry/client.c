/* The registry client's transport: one client per operation, blocking GETs with redirects
 * followed by hand (so Authorization never leaves the registry's host), retries with backoff
 * for resets, 5xx and 429, and messages that say what failed and what to do. */
#include "core/error.h"
#include "core/json.h"
#include "reference/reference.h"
#include "registry/client.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#  include <windows.h>
#else
#  include <unistd.h>
#endif

int registry_client_new(registry_client **out, berth_t *b, const char *domain)
{
    *out = NULL;
    if (!domain || !*domain)
        return berth_fail(BERTH_EINVAL, "registry: no registry host given");
    registry_client *c = calloc(1, sizeof *c);
    if (!c)
        return berth_fail_oom();
    c->b = b;
    int rc = curl_lib_load();
    if (rc) {
        free(c);
        return rc;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(c);
        return berth_fail(BERTH_ERROR, "registry: libcurl failed to initialise");
    }
    c->curl_inited = 1;
    c->domain = strdup(domain);
    /* docker.io's API lives elsewhere; other registries answer on their own name. */
    c->host = strdup(strcmp(domain, "docker.io") == 0 ? "registry-1.docker.io" : domain);
    c->insecure = reference_is_insecure(domain);
    if (!c->domain || !c->host) {
        rc = berth_fail_oom();
        goto out;
    }
    size_t n = strlen(c->host) + 16;
    c->base = malloc(n);
    if (!c->base) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(c->base, n, "%s://%s", c->insecure ? "http" : "https", c->host);
    c->easy = curl_easy_init();
    if (!c->easy) {
        rc = berth_fail(BERTH_ERROR, "registry: libcurl could not create a handle");
        goto out;
    }
    c->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)c;
    c->stall_seconds = 30;
    /* Tests (and impatient users) shorten stall detection; the default suits slow links. */
    const char *stall = getenv("BERTH_STALL_SECONDS");
    if (stall && atol(stall) > 0)
        c->stall_seconds = atol(stall);
    *out = c;
    c = NULL;
out:
    registry_client_free(c);
    return rc;
}

void registry_client_free(registry_client *c)
{
    if (!c)
        return;
    if (c->easy)
        curl_easy_cleanup(c->easy);
    for (size_t i = 0; i < c->n_tokens; i++) {
        free(c->tokens[i].scope);
        free(c->tokens[i].token);
    }
    registry_challenge_clear(&c->ch);
    free(c->domain);
    free(c->host);
    free(c->base);
    free(c->mount_from);
    free(c->user);
    if (c->pass) {
        memset(c->pass, 0, strlen(c->pass));
        free(c->pass);
    }
    if (c->curl_inited)
        curl_global_cleanup();
    free(c);
}

int registry_client_set_credentials(registry_client *c, const char *user, const char *pass)
{
    free(c->user);
    free(c->pass);
    c->user = strdup(user ? user : "");
    c->pass = strdup(pass ? pass : "");
    if (!c->user || !c->pass)
        return berth_fail_oom();
    snprintf(c->cred_source, sizeof c->cred_source, "the credentials given");
    c->creds_ready = 1;
    return 0;
}

void registry_client_set_cancel(registry_client *c, registry_cancel_fn fn, void *payload)
{
    c->cancel = fn;
    c->cancel_payload = payload;
}

const char *registry_client_domain(const registry_client *c) { return c->domain; }

int client_canceled(registry_client *c) { return c->cancel && c->cancel(c->cancel_payload); }

long long client_now_ms(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void client_sleep_ms(registry_client *c, long ms)
{
    /* Sleep in slices so a cancel request is noticed quickly. */
    while (ms > 0 && !client_canceled(c)) {
        long slice = ms > 100 ? 100 : ms;
#ifdef _WIN32
        Sleep((DWORD)slice);
#else
        usleep((useconds_t)slice * 1000);
#endif
        ms -= slice;
    }
}

void client_response_clear(client_response *r)
{
    free(r->content_type);
    free(r->docker_digest);
    free(r->www_authenticate);
    free(r->location);
    free(r->retry_after);
    free(r->content_range);
    buf_free(&r->body);
    size_t max = r->body.max;
    memset(r, 0, sizeof *r);
    r->body.max = max;
}

static char *trimmed_dup(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

static void set_header(char **slot, const char *v, size_t len)
{
    free(*slot);
    *slot = trimmed_dup(v, len);
}

size_t client_header_cb(char *buf, size_t size, size_t n, void *userdata)
{
    client_response *r = userdata;
    size_t len = size * n;
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        /* A new response starts (e.g. after 100 Continue): forget the previous headers. */
        size_t max = r->body.max;
        long status = 0;
        const char *sp = memchr(buf, ' ', len);
        if (sp)
            status = strtol(sp + 1, NULL, 10);
        client_response_clear(r);
        r->body.max = max;
        r->status = status;
        return len;
    }
    const char *colon = memchr(buf, ':', len);
    if (!colon)
        return len;
    size_t nl = (size_t)(colon - buf);
    const char *v = colon + 1;
    size_t vl = len - nl - 1;
    static const struct {
        const char *name;
        size_t off;
    } known[] = {
        { "content-type", offsetof(client_response, content_type) },
        { "docker-content-digest", offsetof(client_response, docker_digest) },
        { "www-authenticate", offsetof(client_response, www_authenticate) },
        { "location", offsetof(client_response, location) },
        { "retry-after", offsetof(client_response, retry_after) },
        { "content-range", offsetof(client_response, content_range) },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].name) == nl && registry_strncaseeq(buf, known[i].name, nl))
            set_header((char **)((char *)r + known[i].off), v, vl);
    return len;
}

static size_t body_cb(char *data, size_t size, size_t n, void *userdata)
{
    client_response *r = userdata;
    size_t len = size * n;
    /* Over the ceiling: stop the transfer (curl reports a write error, we report the cap). */
    if (buf_append(&r->body, data, len) != 0)
        return 0;
    return len;
}

static int xfer_cb(void *p, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt; (void)dn; (void)ut; (void)un;
    return client_canceled(p) ? 1 : 0;
}

void client_setup_easy(registry_client *c, CURL *e)
{
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* by hand: see client_resolve_redirect */
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, c->stall_seconds);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "berth/" "0.1");
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL); /* digests are over the exact bytes */
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024); /* fewer, larger writes into the ingest */
}

long registry_backoff_ms(int attempt, unsigned seed)
{
    long ms = 250;
    for (int i = 1; i < attempt && ms < 8000; i++)
        ms *= 2;
    if (ms > 8000)
        ms = 8000;
    return ms + (long)(seed % 100u);
}

long registry_retry_after_ms(const char *value, long cap_ms)
{
    if (!value || !*value)
        return -1;
    char *end = NULL;
    errno = 0;
    long s = strtol(value, &end, 10);
    if (end != value && errno == 0 && (*end == '\0' || isspace((unsigned char)*end))) {
        if (s < 0)
            return -1;
        return s > cap_ms / 1000 ? cap_ms : s * 1000;
    }
    if (curl_lib_load() != 0) {   /* an HTTP date needs libcurl's parser; unusable without it */
        berth_error_clear();
        return -1;
    }
    time_t when = curl_getdate(value, NULL);
    if (when == -1)
        return -1;
    double d = difftime(when, time(NULL));
    if (d <= 0)
        return 0;
    return d * 1000 > (double)cap_ms ? cap_ms : (long)(d * 1000);
}

int client_curl_retryable(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
        return 1;
    default:
        return 0;
    }
}

int client_fail_curl(registry_client *c, CURLcode cc, const char *errbuf, const char *url)
{
    const char *detail = errbuf && *errbuf ? errbuf : curl_easy_strerror(cc);
    switch (cc) {
    case CURLE_PEER_FAILED_VERIFICATION:
        return berth_fail(BERTH_ENETWORK, "TLS: %s: the server's certificate is not trusted (%s) — install the "
                          "registry's CA certificate into the system trust store, or check the host name", url, detail);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return berth_fail(BERTH_ENETWORK, "TLS: %s: the TLS handshake failed (%s) — if %s speaks plain HTTP, "
                          "add it to BERTH_INSECURE_REGISTRIES", url, detail, c->domain);
    case CURLE_COULDNT_RESOLVE_HOST:
        return berth_fail(BERTH_ENETWORK, "%s: cannot resolve the host name (%s) — check the registry name "
                          "and this machine's DNS", url, detail);
    case CURLE_COULDNT_CONNECT:
        return berth_fail(BERTH_ENETWORK, "%s: cannot connect (%s) — is the registry running and reachable?", url, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return berth_fail(BERTH_ENETWORK, "%s: the transfer stalled or timed out (%s) — the network or the "
                          "registry is too slow; pull again to resume", url, detail);
    default:
        return berth_fail(BERTH_ENETWORK, "%s: %s", url, detail);
    }
}

void client_describe_status(const client_response *r, char *buf, size_t len)
{
    const char *code = NULL, *msg = NULL;
    json_object *o = NULL;
    if (r->body.data && r->body.len && json_parse_limited(&o, r->body.data, r->body.len, "error body") == 0) {
        json_object *errs = json_arr(o, "errors");
        json_object *e0 = errs && json_object_array_length(errs) > 0 ? json_object_array_get_idx(errs, 0) : NULL;
        if (e0) {
            code = json_str(e0, "code");
            msg = json_str(e0, "message");
        }
    }
    berth_error_clear(); /* a body that is not JSON is no failure of ours */
    if (code || msg)
        snprintf(buf, len, "HTTP %ld (%s%s%s)", r->status, code ? code : "", code && msg ? ": " : "", msg ? msg : "");
    else
        snprintf(buf, len, "HTTP %ld", r->status);
    json_object_put(o);
}

int client_fail_status(registry_client *c, const client_response *r, const char *what)
{
    char st[512];
    client_describe_status(r, st, sizeof st);
    switch (r->status) {
    case 401:
        if (!c->user)
            return berth_fail(BERTH_EAUTH, "%s: the registry %s asks for credentials (%s) — run `berth login %s`",
                              what, c->domain, st, c->domain);
        return berth_fail(BERTH_EAUTH, "%s: the registry %s refused the credentials of user \"%s\" from %s (%s) — "
                          "run `berth login %s` with the right ones", what, c->domain, c->user, c->cred_source, st, c->domain);
    case 403:
        return berth_fail(BERTH_EAUTH, "%s: access denied by %s (%s) — the account lacks pull permission, or the "
                          "repository does not exist", what, c->domain, st);
    case 404:
        return berth_fail(BERTH_ENOTFOUND, "%s: not found on %s (%s) — check the name and the tag", what, c->domain, st);
    case 429:
        return berth_fail(BERTH_ENETWORK, "%s: %s kept answering \"too many requests\" (%s) — wait and pull again",
                          what, c->domain, st);
    default:
        if (r->status >= 500)
            return berth_fail(BERTH_ENETWORK, "%s: %s failed with %s after %d attempts — try again later", what,
                              c->domain, st, REGISTRY_MAX_ATTEMPTS);
        return berth_fail(BERTH_ERROR, "%s: unexpected answer from %s: %s", what, c->domain, st);
    }
}

/* Scheme + host + port of a URL, for "same origin" decisions. */
static int url_origin(char **out, const char *url, char **host_out)
{
    *out = NULL;
    if (host_out)
        *host_out = NULL;
    int loaded = curl_lib_load();   /* also called outside an operation's client */
    if (loaded)
        return loaded;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = 0;
    if (!u)
        return berth_fail_oom();
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        rc = berth_fail(BERTH_ERROR, "URL \"%s\" is not valid", url);
        goto out;
    }
    for (char *s = scheme; *s; s++)
        *s = (char)tolower((unsigned char)*s);
    for (char *s = host; *s; s++)
        *s = (char)tolower((unsigned char)*s);
    size_t n = strlen(scheme) + strlen(host) + strlen(port) + 8;
    *out = malloc(n);
    if (host_out) {
        /* host[:port] as reference_is_insecure reads it */
        *host_out = malloc(strlen(host) + strlen(port) + 2);
        if (*host_out)
            snprintf(*host_out, strlen(host) + strlen(port) + 2, "%s:%s", host, port);
    }
    if (!*out || (host_out && !*host_out)) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(*out, n, "%s://%s:%s", scheme, host, port);
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    if (rc) {
        free(*out);
        *out = NULL;
        if (host_out) {
            free(*host_out);
            *host_out = NULL;
        }
    }
    return rc;
}

int client_url_allowed(registry_client *c, const char *url, const char *what)
{
    (void)c;
    if (registry_strncaseeq(url, "https://", 8))
        return 0;
    if (!registry_strncaseeq(url, "http://", 7))
        return berth_fail(BERTH_EUNSUPPORTED, "%s: \"%s\" is neither https nor http", what, url);
    char *origin = NULL, *hostport = NULL;
    int rc = url_origin(&origin, url, &hostport);
    if (rc == 0 && !reference_is_insecure(hostport)) {
        /* the port is always there; a name without it is on the insecure list too */
        char *colon = strrchr(hostport, ':');
        if (colon)
            *colon = '\0';
        if (!reference_is_insecure(hostport))
            rc = berth_fail(BERTH_EUNSUPPORTED, "%s: refusing plain HTTP to \"%s\" — only loopback hosts and "
                            "BERTH_INSECURE_REGISTRIES may be spoken to without TLS", what, url);
    }
    free(origin);
    free(hostport);
    return rc;
}

int client_resolve_redirect(registry_client *c, const char *url, const char *location, char **out_url,
                            int *same_host_out)
{
    *out_url = NULL;
    int rc = curl_lib_load();
    if (rc)
        return rc;
    CURLU *u = curl_url();
    char *next = NULL, *o1 = NULL, *o2 = NULL;
    if (!u)
        return berth_fail_oom();
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, location, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &next, 0) != CURLUE_OK) {
        rc = berth_fail(BERTH_ERROR, "redirect from %s to \"%s\": not a valid URL", url, location);
        goto out;
    }
    if ((rc = client_url_allowed(c, next, "redirect")) != 0)
        goto out;
    if ((rc = url_origin(&o1, c->base, NULL)) != 0 || (rc = url_origin(&o2, next, NULL)) != 0)
        goto out;
    *same_host_out = strcmp(o1, o2) == 0;
    *out_url = strdup(next);
    if (!*out_url)
        rc = berth_fail_oom();
out:
    curl_free(next);
    free(o1);
    free(o2);
    curl_url_cleanup(u);
    return rc;
}

CURLcode client_perform(registry_client *c, struct curl_slist *h, curl_write_callback write_cb,
                        curl_xferinfo_callback xferinfo_cb, void *xfer_data, client_response *resp, char *errbuf)
{
    CURL *e = c->easy;
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, client_header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, resp);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, xfer_data);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    errbuf[0] = '\0';
    CURLcode cc = curl_easy_perform(e);
    if (cc == CURLE_OK) {
        long st = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &st);
        resp->status = st;
    }
    /* the handle outlives the list: drop curl's pointer to it before freeing it */
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(h);
    return cc;
}

int client_follow_redirect(registry_client *c, char **url, const char *location, int *redirects, int *same_host)
{
    if (++*redirects > REGISTRY_MAX_REDIRECTS)
        return berth_fail(BERTH_ERROR, "%s: more than %d redirects", *url, REGISTRY_MAX_REDIRECTS);
    char *next = NULL;
    int same = 0, rc;
    if ((rc = client_resolve_redirect(c, *url, location, &next, &same)) != 0)
        return rc;
    free(*url);
    *url = next;
    *same_host = *same_host && same;
    return 0;
}

void client_wait_to_retry(registry_client *c, const client_response *r, int attempt)
{
    long wait = registry_retry_after_ms(r->retry_after, 60000);
    client_sleep_ms(c, wait >= 0 ? wait : registry_backoff_ms(attempt, c->seed++));
}

/* One request, no redirects, no retries. */
static CURLcode get_once(registry_client *c, const char *url, const char *auth, const char *accept,
                         client_response *resp, char *errbuf)
{
    CURL *e = c->easy;
    struct curl_slist *h = NULL;
    curl_easy_reset(e);
    client_setup_easy(c, e);
    if (auth)
        h = curl_slist_append(h, auth);
    if (accept)
        h = curl_slist_append(h, accept);
    curl_easy_setopt(e, CURLOPT_URL, url);
    return client_perform(c, h, body_cb, xfer_cb, c, resp, errbuf);
}

int client_get(registry_client *c, const char *repo, const char *path, const char *accept, size_t max,
               client_response *resp)
{
    char errbuf[CURL_ERROR_SIZE];
    char *url = NULL, *auth = NULL;
    int rc = 0, redirects = 0, attempt = 0, reauthed = 0, same_host = 1;
    size_t n = strlen(c->base) + strlen(path) + 1;
    if (!(url = malloc(n)))
        return berth_fail_oom();
    snprintf(url, n, "%s%s", c->base, path);
    for (;;) {
        client_response_clear(resp);
        resp->body.max = max;
        free(auth);
        auth = NULL;
        /* Authorization goes to the registry's own origin only, never to blob storage elsewhere. */
        if (same_host && (rc = client_auth_header(c, repo, &auth)) != 0)
            goto out;
        CURLcode cc = get_once(c, url, auth, accept, resp, errbuf);
        if (client_canceled(c)) {
            rc = berth_fail(BERTH_ECANCELED, "canceled");
            goto out;
        }
        if (cc == CURLE_WRITE_ERROR) {
            rc = berth_fail(BERTH_EINVAL, "%s: the answer is larger than %zu bytes — refusing it", url, max);
            goto out;
        }
        if (cc != CURLE_OK) {
            if (client_curl_retryable(cc) && ++attempt < REGISTRY_MAX_ATTEMPTS) {
                client_sleep_ms(c, registry_backoff_ms(attempt, c->seed++));
                continue;
            }
            rc = client_fail_curl(c, cc, errbuf, url);
            goto out;
        }
        if (resp->status >= 300 && resp->status < 400 && resp->status != 304 && resp->location) {
            if ((rc = client_follow_redirect(c, &url, resp->location, &redirects, &same_host)) != 0)
                goto out;
            continue;
        }
        if (resp->status == 401 && c->pinged && !reauthed && same_host && resp->www_authenticate) {
            reauthed = 1;
            if ((rc = client_reauth(c, repo, resp->www_authenticate)) != 0)
                goto out;
            continue;
        }
        if ((resp->status == 429 || resp->status >= 500) && ++attempt < REGISTRY_MAX_ATTEMPTS) {
            client_wait_to_retry(c, resp, attempt);
            continue;
        }
        break;
    }
out:
    free(url);
    free(auth);
    return rc;
}

int client_get_raw(registry_client *c, const char *url, const char *auth, size_t max, client_response *resp)
{
    char errbuf[CURL_ERROR_SIZE];
    for (int attempt = 1;; attempt++) {
        client_response_clear(resp);
        resp->body.max = max;
        CURLcode cc = get_once(c, url, auth, NULL, resp, errbuf);
        if (client_canceled(c))
            return berth_fail(BERTH_ECANCELED, "canceled");
        if (cc == CURLE_WRITE_ERROR)
            return berth_fail(BERTH_EINVAL, "%s: the answer is larger than %zu bytes — refusing it", url, max);
        if (cc != CURLE_OK) {
            if (client_curl_retryable(cc) && attempt < REGISTRY_MAX_ATTEMPTS) {
                client_sleep_ms(c, registry_backoff_ms(attempt, c->seed++));
                continue;
            }
            return client_fail_curl(c, cc, errbuf, url);
        }
        if ((resp->status == 429 || resp->status >= 500) && attempt < REGISTRY_MAX_ATTEMPTS) {
            client_wait_to_retry(c, resp, attempt);
            continue;
        }
        return 0;
    }
}

int registry_ping(registry_client *c)
{
    client_response r = { 0 };
    int rc = client_get(c, NULL, "/v2/", NULL, REGISTRY_ERRBODY_MAX, &r);
    if (rc == 0) {
        if (r.status == 401) {
            registry_challenge_clear(&c->ch);
            rc = registry_parse_challenge(&c->ch, r.www_authenticate ? r.www_authenticate : "");
            if (rc == 0 && !c->ch.scheme[0])
                rc = berth_fail(BERTH_EAUTH, "registry %s answered 401 without a usable WWW-Authenticate challenge",
                                c->domain);
        } else if (r.status == 404) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "%s/v2/ answered 404: this is not an OCI/Docker v2 registry", c->base);
        } else if (r.status != 200) {
            rc = client_fail_status(c, &r, "probe /v2/");
        }
    }
    if (rc == 0)
        c->pinged = 1;
    else
        rc = berth_wrap(rc, "registry %s", c->domain);
    client_response_clear(&r);
    return rc;
}
