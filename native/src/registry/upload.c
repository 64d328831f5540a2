/* The push half of the distribution protocol: HEAD a blob to skip what the registry has,
 * cross-repository mount (POST ?mount=&from=), upload (POST → PUT ?digest=, monolithic, or
 * PATCH chunks then PUT), and the manifest PUT with its media type. Bodies stream from the
 * store's blob files through a read callback, so memory stays flat whatever the layer size.
 *
 * Requests reuse the client's transport rules (client.h): Authorization only to the
 * registry's own origin, a 401 refreshes a Bearer token once, retries with backoff for resets,
 * 5xx and 429. An upload that fails half way is started over from the POST (a registry's
 * upload session cannot be trusted after a torn PUT), at most REGISTRY_MAX_ATTEMPTS times. */
#include "core/error.h"
#include "registry/client.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROGRESS_EVERY_MS 200

/* Where a request body comes from: memory, or a slice of a file. */
typedef struct {
    const char *mem;
    FILE *file;
    int64_t offset, len;   /* the slice: [offset, offset + len) */
    int64_t sent;          /* bytes handed to curl in this attempt */
} body_src;

typedef struct {
    registry_client *c;
    const registry_upload_options *o;
    const berth_digest *d;
    int64_t base;          /* bytes of the blob done before this request (chunks) */
    int64_t total;
    long long last_ms;
    int canceled;
} upload_progress;

static size_t read_cb(char *buf, size_t size, size_t n, void *userdata)
{
    body_src *s = userdata;
    size_t want = size * n;
    int64_t left = s->len - s->sent;
    if (left <= 0)
        return 0;
    if ((int64_t)want > left)
        want = (size_t)left;
    size_t got;
    if (s->mem) {
        memcpy(buf, s->mem + s->offset + s->sent, want);
        got = want;
    } else {
        got = fread(buf, 1, want, s->file);
        if (got == 0)
            return CURL_READFUNC_ABORT; /* the blob file shrank under us */
    }
    s->sent += (int64_t)got;
    return got;
}

/* Keeps the start of an error body for messages; drops the rest (never fails the transfer). */
static size_t sink_cb(char *data, size_t size, size_t n, void *userdata)
{
    client_response *r = userdata;
    size_t len = size * n;
    if (r->body.len + len <= r->body.max)
        buf_append(&r->body, data, len);
    return len;
}

static int xfer_cb(void *p, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt; (void)dn; (void)ut;
    upload_progress *u = p;
    if (client_canceled(u->c))
        return 1;
    if (!u->o || !u->o->progress || !u->d)
        return 0;
    long long t = client_now_ms();
    if (t - u->last_ms < PROGRESS_EVERY_MS)
        return 0;
    u->last_ms = t;
    berth_progress ev = { "upload", u->d->text, (uint64_t)(u->base + un), (uint64_t)u->total, "uploading" };
    if (u->o->progress(&ev, u->o->progress_payload) != 0) {
        u->canceled = 1;
        return 1;
    }
    return 0;
}

/* One request, no retries. method: "HEAD", "POST" (no body), "PUT" or "PATCH" (with a body,
 * possibly empty: without one curl would read stdin). */
static CURLcode send_once(registry_client *c, const char *method, const char *url, const char *auth,
                          struct curl_slist *extra, body_src *body, upload_progress *up,
                          client_response *resp, char *errbuf)
{
    CURL *e = c->easy;
    struct curl_slist *h = NULL;
    curl_easy_reset(e);
    client_setup_easy(c, e);
    for (struct curl_slist *x = extra; x; x = x->next)
        h = curl_slist_append(h, x->data);
    if (auth)
        h = curl_slist_append(h, auth);
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip before each body */
    curl_easy_setopt(e, CURLOPT_URL, url);
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (body) {
        curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(e, CURLOPT_READDATA, body);
        curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body->len);
        if (strcmp(method, "PUT") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
    }
    return client_perform(c, h, sink_cb, xfer_cb, up, resp, errbuf);
}

/* Rewinds a body for another attempt. */
static int body_rewind(body_src *b)
{
    if (!b)
        return 0;
    b->sent = 0;
#ifdef _WIN32
    if (b->file && _fseeki64(b->file, b->offset, SEEK_SET) != 0)  /* 64-bit offsets on Windows */
#else
    if (b->file && fseeko(b->file, (off_t)b->offset, SEEK_SET) != 0)
#endif
        return berth_fail_errno(BERTH_ERROR, errno, "rewind the blob file");
    return 0;
}

/* A request on the registry: auth for repo when url is on the registry's origin, one token
 * refresh on 401, redirects followed for HEAD, transient failures retried when `retry`. */
static int send_request(registry_client *c, const char *repo, const char *method, const char *url_in,
                        struct curl_slist *extra, body_src *body, upload_progress *up, int retry,
                        client_response *resp)
{
    char errbuf[CURL_ERROR_SIZE];
    char *url = strdup(url_in), *auth = NULL;
    int rc = 0, attempt = 0, reauthed = 0, redirects = 0, same_host = 1;
    upload_progress quiet = { c, NULL, NULL, 0, 0, 0, 0 };
    if (!url)
        return berth_fail_oom();
    if (!up)
        up = &quiet;
    int same = 0;
    char *checked = NULL;
    if ((rc = client_resolve_redirect(c, c->base, url, &checked, &same)) != 0)
        goto out;
    free(checked);
    same_host = same;
    for (;;) {
        size_t max = resp->body.max ? resp->body.max : REGISTRY_ERRBODY_MAX;
        client_response_clear(resp);
        resp->body.max = max;
        free(auth);
        auth = NULL;
        if (same_host && (rc = client_auth_header(c, repo, &auth)) != 0)
            goto out;
        if ((rc = body_rewind(body)) != 0)
            goto out;
        CURLcode cc = send_once(c, method, url, auth, extra, body, up, resp, errbuf);
        if (client_canceled(c) || up->canceled) {
            rc = berth_fail(BERTH_ECANCELED, "canceled");
            goto out;
        }
        if (cc != CURLE_OK) {
            if (retry && client_curl_retryable(cc) && ++attempt < REGISTRY_MAX_ATTEMPTS) {
                client_sleep_ms(c, registry_backoff_ms(attempt, c->seed++));
                continue;
            }
            rc = client_fail_curl(c, cc, errbuf, url);
            goto out;
        }
        if (strcmp(method, "HEAD") == 0 && resp->status >= 300 && resp->status < 400 && resp->location) {
            if ((rc = client_follow_redirect(c, &url, resp->location, &redirects, &same_host)) != 0)
                goto out;
            continue;
        }
        if (resp->status == 401 && !reauthed && same_host && resp->www_authenticate) {
            reauthed = 1;
            if ((rc = client_reauth(c, repo, resp->www_authenticate)) != 0)
                goto out;
            continue;
        }
        if (retry && (resp->status == 429 || resp->status >= 500) && ++attempt < REGISTRY_MAX_ATTEMPTS) {
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

/* Push-specific readings of 401/403; everything else as the client reads it. */
static int fail_push_status(registry_client *c, const client_response *r, const char *what)
{
    char st[512];
    client_describe_status(r, st, sizeof st);
    if (r->status == 401 && !c->user)
        return berth_fail(BERTH_EAUTH, "%s: the registry %s asks for credentials to push (%s) — run `berth login %s`",
                          what, c->domain, st, c->domain);
    if (r->status == 401 || r->status == 403)
        return berth_fail(BERTH_EAUTH, "%s: %s refused to let %s push (%s) — the account lacks push permission on "
                          "this repository; check it, or run `berth login %s` with another account", what, c->domain,
                          c->user ? c->user : "an anonymous user", st, c->domain);
    return client_fail_status(c, r, what);
}

static int ensure_pinged(registry_client *c)
{
    return c->pinged ? 0 : registry_ping(c);
}

static char *api_url(registry_client *c, const char *fmt, const char *repo, const char *tail)
{
    berth_buf u = BERTH_BUF_INIT(16384);
    if (buf_printf(&u, "%s", c->base) != 0 || buf_printf(&u, fmt, repo, tail) != 0) {
        buf_free(&u);
        return NULL;
    }
    return buf_detach(&u);
}

int registry_blob_exists(registry_client *c, const char *repo, const berth_digest *d, int64_t *size_out)
{
    client_response r = { 0 };
    char *url = NULL;
    int rc = ensure_pinged(c);
    if (rc == 0 && !(url = api_url(c, "/v2/%s/blobs/%s", repo, d->text)))
        rc = BERTH_ENOMEM;
    if (rc == 0)
        rc = send_request(c, repo, "HEAD", url, NULL, NULL, NULL, 1, &r);
    if (rc == 0) {
        if (r.status == 200) {
            curl_off_t len = -1;
            curl_easy_getinfo(c->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len);
            if (size_out)
                *size_out = len >= 0 ? (int64_t)len : -1;
            rc = 1;
        } else if (r.status == 404) {
            rc = 0;
        } else {
            rc = fail_push_status(c, &r, "check blob");
        }
    }
    if (rc < 0)
        rc = berth_wrap(rc, "HEAD %s/%s@%s", c->domain, repo, d->text);
    free(url);
    client_response_clear(&r);
    return rc;
}

/* The upload URL from a 202's Location, absolute, checked against the transport rules. */
static int upload_location(char **out, registry_client *c, const char *request_url, const client_response *r)
{
    int same = 0;
    *out = NULL;
    if (!r->location || !*r->location)
        return berth_fail(BERTH_ERROR, "the registry %s started an upload but sent no Location header — it is not "
                          "a conforming registry", c->domain);
    return client_resolve_redirect(c, request_url, r->location, out, &same);
}

int registry_blob_mount(registry_client *c, const char *repo, const berth_digest *d, const char *from,
                        char **upload_url_out)
{
    client_response r = { 0 };
    char *url = NULL, *esc_d = NULL, *esc_from = NULL;
    berth_buf tail = BERTH_BUF_INIT(4096);
    *upload_url_out = NULL;
    int rc = ensure_pinged(c);
    if (rc)
        goto out;
    esc_d = curl_easy_escape(c->easy, d->text, 0);
    esc_from = curl_easy_escape(c->easy, from, 0);
    if (!esc_d || !esc_from || buf_printf(&tail, "?mount=%s&from=%s", esc_d, esc_from) != 0 ||
        !(url = api_url(c, "/v2/%s/blobs/uploads/%s", repo, tail.data))) {
        rc = berth_fail_oom();
        goto out;
    }
    if ((rc = send_request(c, repo, "POST", url, NULL, NULL, NULL, 1, &r)) != 0)
        goto out;
    if (r.status == 201)
        rc = 1;
    else if (r.status == 202)
        rc = upload_location(upload_url_out, c, url, &r); /* not mounted: the registry opened an upload */
    else
        rc = fail_push_status(c, &r, "mount blob");
out:
    if (rc < 0)
        rc = berth_wrap(rc, "mount %s from %s into %s/%s", d->text, from, c->domain, repo);
    curl_free(esc_d);
    curl_free(esc_from);
    buf_free(&tail);
    free(url);
    client_response_clear(&r);
    return rc;
}

/* url + "?digest=" or "&digest=" */
static char *with_digest(registry_client *c, const char *url, const berth_digest *d)
{
    char *esc = curl_easy_escape(c->easy, d->text, 0);
    berth_buf u = BERTH_BUF_INIT(16384);
    int rc = esc ? buf_printf(&u, "%s%cdigest=%s", url, strchr(url, '?') ? '&' : '?', esc) : BERTH_ENOMEM;
    curl_free(esc);
    if (rc) {
        buf_free(&u);
        berth_fail_oom();
        return NULL;
    }
    return buf_detach(&u);
}

static int check_digest_header(const client_response *r, const berth_digest *d, const char *what)
{
    if (r->docker_digest && strncmp(r->docker_digest, "sha256:", 7) == 0 && strcmp(r->docker_digest, d->text) != 0)
        return berth_fail(BERTH_EDIGEST, "%s: the registry stored it as %s, not %s — a proxy altered the bytes, or "
                          "the registry is broken", what, r->docker_digest, d->text);
    return 0;
}

/* One attempt at the whole blob: open an upload (or use `start`), send it, close it. */
static int upload_once(registry_client *c, const char *repo, const berth_digest *d, FILE *f, int64_t size,
                       const char *start, const registry_upload_options *o)
{
    client_response r = { 0 };
    char *loc = NULL, *url = NULL, *put = NULL;
    struct curl_slist *hdr = NULL;
    upload_progress up = { c, o, d, 0, size, 0, 0 };
    int64_t chunk = o && o->chunk_size > 0 ? o->chunk_size : 0;
    int rc = 0;
    if (start) {
        if (!(loc = strdup(start)))
            return berth_fail_oom();
    } else {
        if (!(url = api_url(c, "/v2/%s/blobs/uploads/%s", repo, "")))
            return berth_fail_oom();
        if ((rc = send_request(c, repo, "POST", url, NULL, NULL, NULL, 1, &r)) != 0)
            goto out;
        if (r.status != 202) {
            rc = fail_push_status(c, &r, "start upload");
            goto out;
        }
        if ((rc = upload_location(&loc, c, url, &r)) != 0)
            goto out;
    }
    hdr = curl_slist_append(NULL, "Content-Type: application/octet-stream");
    if (!hdr) {
        rc = berth_fail_oom();
        goto out;
    }
    if (chunk > 0 && size > chunk) {
        /* Chunked: PATCH each slice with its Content-Range; every 202 names the next URL. */
        for (int64_t off = 0; off < size; off += chunk) {
            int64_t n = size - off < chunk ? size - off : chunk;
            char range[96];
            snprintf(range, sizeof range, "Content-Range: %" PRId64 "-%" PRId64, off, off + n - 1);
            struct curl_slist *h2 = curl_slist_append(NULL, "Content-Type: application/octet-stream");
            struct curl_slist *h3 = h2 ? curl_slist_append(h2, range) : NULL;
            if (!h3) {
                curl_slist_free_all(h2);
                rc = berth_fail_oom();
                goto out;
            }
            body_src body = { NULL, f, off, n, 0 };
            up.base = off;
            rc = send_request(c, repo, "PATCH", loc, h3, &body, &up, 0, &r);
            curl_slist_free_all(h3);
            if (rc)
                goto out;
            if (r.status != 202) {
                rc = fail_push_status(c, &r, "upload chunk");
                goto out;
            }
            char *next = NULL;
            if ((rc = upload_location(&next, c, loc, &r)) != 0)
                goto out;
            free(loc);
            loc = next;
        }
        if (!(put = with_digest(c, loc, d))) {
            rc = BERTH_ENOMEM;
            goto out;
        }
        body_src none = { NULL, NULL, 0, 0, 0 };
        rc = send_request(c, repo, "PUT", put, hdr, &none, NULL, 0, &r);
    } else {
        body_src body = { NULL, f, 0, size, 0 };
        if (!(put = with_digest(c, loc, d))) {
            rc = BERTH_ENOMEM;
            goto out;
        }
        rc = send_request(c, repo, "PUT", put, hdr, &body, &up, 0, &r);
    }
    if (rc)
        goto out;
    if (r.status != 201 && r.status != 204 && r.status != 200) {
        rc = fail_push_status(c, &r, "finish upload");
        goto out;
    }
    rc = check_digest_header(&r, d, "upload");
out:
    curl_slist_free_all(hdr);
    free(loc);
    free(url);
    free(put);
    client_response_clear(&r);
    return rc;
}

int registry_blob_upload(registry_client *c, const char *repo, const berth_digest *d, const char *path,
                         int64_t size, const char *upload_url, const registry_upload_options *o)
{
    int rc = ensure_pinged(c);
    if (rc)
        return berth_wrap(rc, "upload %s to %s/%s", d->text, c->domain, repo);
    FILE *f = fopen(path, "rb");
    if (!f)
        return berth_fail_errno(BERTH_ENOTFOUND, errno, "upload %s: open the blob %s", d->text, path);
    for (int attempt = 1;; attempt++) {
        /* The registry's own upload URL is used once; a retry opens a fresh upload. */
        rc = upload_once(c, repo, d, f, size, attempt == 1 ? upload_url : NULL, o);
        if (rc == 0 || rc == BERTH_ECANCELED || rc == BERTH_EAUTH || rc == BERTH_EDIGEST ||
            attempt >= REGISTRY_MAX_ATTEMPTS || (rc != BERTH_ENETWORK && rc != BERTH_ERROR))
            break;
        if (o && o->progress) {
            berth_progress ev = { "retry", d->text, 0, (uint64_t)size, berth_errmsg() };
            if (o->progress(&ev, o->progress_payload) != 0) {
                rc = berth_fail(BERTH_ECANCELED, "canceled");
                break;
            }
        }
        client_sleep_ms(c, registry_backoff_ms(attempt, c->seed++));
        if (client_canceled(c)) {
            rc = berth_fail(BERTH_ECANCELED, "canceled");
            break;
        }
    }
    fclose(f);
    return rc ? berth_wrap(rc, "upload %s to %s/%s", d->text, c->domain, repo) : 0;
}

int registry_put_manifest(registry_client *c, const char *repo, const char *reference, const char *media_type,
                          const char *data, size_t len, const berth_digest *d)
{
    client_response r = { 0 };
    char *url = NULL, ct[256];
    struct curl_slist *hdr = NULL;
    int rc = ensure_pinged(c);
    if (rc)
        goto out;
    snprintf(ct, sizeof ct, "Content-Type: %s", media_type);
    if (!(url = api_url(c, "/v2/%s/manifests/%s", repo, reference)) || !(hdr = curl_slist_append(NULL, ct))) {
        rc = berth_fail_oom();
        goto out;
    }
    body_src body = { data, NULL, 0, (int64_t)len, 0 };
    if ((rc = send_request(c, repo, "PUT", url, hdr, &body, NULL, 1, &r)) != 0)
        goto out;
    if (r.status != 201 && r.status != 200 && r.status != 202) {
        rc = fail_push_status(c, &r, "put manifest");
        goto out;
    }
    rc = check_digest_header(&r, d, "manifest");
out:
    if (rc)
        rc = berth_wrap(rc, "PUT manifest %s/%s:%s", c->domain, repo, reference);
    curl_slist_free_all(hdr);
    free(url);
    client_response_clear(&r);
    return rc;
}
