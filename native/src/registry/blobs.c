/* Parallel blob download into the content store with curl multi.
 *
 * Each blob is a job: open its ingest (which resumes what an earlier, killed or cancelled pull
 * left, and locks it against other processes) → GET with Range from the ingest's offset →
 * stream into store_ingest_write (the store hashes while writing; memory stays flat) →
 * store_ingest_commit verifies size and digest before the blob becomes visible.
 * Resets, stalls (low-speed limit), 5xx and 429 are retried with backoff (Retry-After
 * honoured) from where the bytes stopped; redirects to blob storage are followed without
 * Authorization; a blob another process is writing is waited for, then found present.
 * Everything, including the progress callback, runs on the calling thread. */
#include "core/error.h"
#include "registry/client.h"
#include "store/store.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { JOB_PENDING, JOB_WAIT, JOB_ACTIVE, JOB_DONE };

#define JOB_ERR_RESTART 1 /* internal: start the blob over from byte 0 */
#define LOCK_POLL_MS 250
#define PROGRESS_EVERY_MS 200
#define MAX_ATTEMPTS_IN_ALL 50 /* a server that resets after every few bytes ends somewhere */

typedef struct {
    size_t index;
    const registry_blob *blob;
    int state;
    store_ingest *ing;
    CURL *easy;
    struct curl_slist *hdrs;
    client_response resp;
    char *url;
    int same_host;       /* url is on the registry's origin: Authorization allowed */
    int source;          /* -1: the registry; i: blob->urls[i] */
    int attempts, redirects, reauthed, waited;
    int all_attempts;    /* including those that made progress: a hard ceiling */
    int64_t start_offset;
    int body_started, body_is_content;
    long long next_at;
    int err;             /* set by the write callback */
    char errmsg[1024];
    char errbuf[CURL_ERROR_SIZE];
} blob_job;

typedef struct {
    registry_client *c;
    berth_t *b;
    const char *repo;
    const registry_fetch_options *o;
    blob_job *jobs;
    size_t n;
    CURLM *multi;
    int active;
    long long last_progress;
} fetch_run;

static int emit(fetch_run *r, const char *phase, const blob_job *j, uint64_t cur, const char *msg)
{
    if (!r->o->progress)
        return 0;
    berth_progress p = { phase, j->blob->digest.text, cur, j->blob->size > 0 ? (uint64_t)j->blob->size : 0, msg };
    if (r->o->progress(&p, r->o->progress_payload) != 0)
        return berth_fail(BERTH_ECANCELED, "canceled; partial downloads are kept in the store's ingest folder and "
                          "the next pull resumes them");
    return 0;
}

/* Remembers this thread's message in the job (several jobs may fail in one loop turn). */
static int job_fail(blob_job *j, int rc)
{
    snprintf(j->errmsg, sizeof j->errmsg, "%s", berth_errmsg());
    j->err = rc;
    return rc;
}

static int64_t range_start(const char *content_range)
{
    /* "bytes START-END/TOTAL" */
    if (!content_range || !registry_strncaseeq(content_range, "bytes ", 6))
        return -1;
    char *end = NULL;
    long long v = strtoll(content_range + 6, &end, 10);
    return end && *end == '-' ? (int64_t)v : -1;
}

static size_t job_write(char *data, size_t size, size_t n, void *userdata)
{
    blob_job *j = userdata;
    size_t len = size * n;
    if (!j->body_started) {
        j->body_started = 1;
        long st = j->resp.status;
        int64_t have = store_ingest_offset(j->ing);
        if (st == 200) {
            /* The server ignored our Range (or we asked none): start over. */
            if (have > 0 && store_ingest_reset(j->ing) != 0)
                return job_fail(j, berth_errcode()), 0;
            j->body_is_content = 1;
        } else if (st == 206) {
            if (range_start(j->resp.content_range) != have) {
                store_ingest_reset(j->ing);
                j->err = JOB_ERR_RESTART;
                return 0;
            }
            j->body_is_content = 1;
        }
    }
    if (!j->body_is_content) {
        /* An error page: keep a little for the message, drop the rest. */
        if (j->resp.body.len + len <= j->resp.body.max)
            buf_append(&j->resp.body, data, len);
        return len;
    }
    int64_t have = store_ingest_offset(j->ing);
    if (j->blob->size >= 0 && (uint64_t)have + len > (uint64_t)j->blob->size) {
        berth_fail(BERTH_EDIGEST, "blob %s: the server sent more than the %" PRId64 " bytes the manifest declares — "
                   "the registry or a proxy is broken; the partial download was deleted", j->blob->digest.text,
                   j->blob->size);
        store_ingest_reset(j->ing);
        return job_fail(j, BERTH_EDIGEST), 0;
    }
    if (store_ingest_write(j->ing, data, len) != 0)
        return job_fail(j, berth_errcode() ? berth_errcode() : BERTH_ERROR), 0;
    return len;
}

static int source_url(fetch_run *r, blob_job *j)
{
    free(j->url);
    j->url = NULL;
    if (j->source < 0) {
        size_t n = strlen(r->c->base) + strlen(r->repo) + 96;
        if (!(j->url = malloc(n)))
            return berth_fail_oom();
        snprintf(j->url, n, "%s/v2/%s/blobs/%s", r->c->base, r->repo, j->blob->digest.text);
        j->same_host = 1;
        return 0;
    }
    const char *u = j->blob->urls[j->source];
    int rc = client_url_allowed(r->c, u, "foreign layer URL");
    if (rc)
        return berth_wrap(rc, "blob %s", j->blob->digest.text);
    if (!(j->url = strdup(u)))
        return berth_fail_oom();
    j->same_host = 0; /* never send the registry's credentials elsewhere */
    return 0;
}

static int finish(fetch_run *r, blob_job *j, int existed)
{
    int rc = 0;
    if (!existed) {
        if ((rc = emit(r, "verify", j, (uint64_t)store_ingest_offset(j->ing), "verifying")) != 0)
            return rc;
        rc = store_ingest_commit(j->ing);
        j->ing = NULL;
        if (rc)
            return berth_wrap(rc, "blob %s", j->blob->digest.text);
    }
    j->state = JOB_DONE;
    uint64_t sz = j->blob->size > 0 ? (uint64_t)j->blob->size : 0;
    if ((rc = emit(r, existed ? "exists" : "done", j, sz, existed ? "already exists" : "download complete")) != 0)
        return rc;
    if (r->o->after_commit)
        rc = r->o->after_commit(j->index, j->blob, r->o->after_commit_payload);
    return rc;
}

/* Opens the ingest (or finds the blob present / busy) and starts the transfer. */
static int job_start(fetch_run *r, blob_job *j)
{
    int rc = 0;
    if (!j->ing) {
        if (store_blob_exists(r->b, &j->blob->digest, NULL))
            return finish(r, j, 1);
        rc = store_ingest_open(&j->ing, r->b, &j->blob->digest, j->blob->size);
        if (rc == BERTH_EBUSY) {
            /* Another process downloads this blob right now: wait, then find it present. */
            berth_error_clear();
            j->state = JOB_WAIT;
            j->next_at = client_now_ms() + LOCK_POLL_MS;
            if (!j->waited++)
                return emit(r, "wait", j, 0, "waiting for another download of this blob");
            return 0;
        }
        if (rc)
            return berth_wrap(rc, "blob %s", j->blob->digest.text);
        if (j->blob->size >= 0 && store_ingest_offset(j->ing) == j->blob->size)
            return finish(r, j, 0);
        if ((rc = source_url(r, j)) != 0)
            return rc;
    }
    CURL *e = curl_easy_init();
    if (!e)
        return berth_fail(BERTH_ERROR, "blob %s: libcurl could not create a handle", j->blob->digest.text);
    j->easy = e;
    client_response_clear(&j->resp);
    j->resp.body.max = REGISTRY_ERRBODY_MAX;
    j->body_started = j->body_is_content = 0;
    j->err = 0;
    j->start_offset = store_ingest_offset(j->ing);
    char *auth = NULL;
    if (j->same_host && (rc = client_auth_header(r->c, r->repo, &auth)) != 0)
        return rc;
    curl_slist_free_all(j->hdrs);
    j->hdrs = NULL;
    if (auth)
        j->hdrs = curl_slist_append(j->hdrs, auth);
    free(auth);
    client_setup_easy(r->c, e);
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, client_header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &j->resp);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, job_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    j->errbuf[0] = '\0';
    if (j->start_offset > 0) {
        char range[64];
        snprintf(range, sizeof range, "%" PRId64 "-", j->start_offset);
        curl_easy_setopt(e, CURLOPT_RANGE, range);
    }
    if (curl_multi_add_handle(r->multi, e) != CURLM_OK)
        return berth_fail(BERTH_ERROR, "blob %s: libcurl could not start the transfer", j->blob->digest.text);
    j->state = JOB_ACTIVE;
    r->active++;
    return 0;
}

static void job_release_easy(fetch_run *r, blob_job *j)
{
    if (j->easy) {
        curl_multi_remove_handle(r->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
}

/* Schedules another attempt of the same blob, from where its bytes stopped. Returns 1 when
 * the attempts are used up, 0 when scheduled, or a negative BERTH_E* failure. */
static int job_retry(fetch_run *r, blob_job *j, long wait_ms, const char *why)
{
    /* Progress made since the last attempt means the link works: do not count it against us. */
    if (store_ingest_offset(j->ing) > j->start_offset)
        j->attempts = 0;
    if (++j->attempts >= REGISTRY_MAX_ATTEMPTS || ++j->all_attempts >= MAX_ATTEMPTS_IN_ALL)
        return 1;
    if (wait_ms < 0)
        wait_ms = registry_backoff_ms(j->attempts, r->c->seed++);
    j->state = JOB_PENDING;
    j->next_at = client_now_ms() + wait_ms;
    j->redirects = 0;
    j->reauthed = 0; /* a long download may outlive its token: allow one refresh per attempt */
    char msg[256];
    snprintf(msg, sizeof msg, "%s; retrying in %.1f s (attempt %d of %d)", why, wait_ms / 1000.0, j->attempts + 1,
             REGISTRY_MAX_ATTEMPTS);
    int rc = source_url(r, j);
    return rc ? rc : emit(r, "retry", j, (uint64_t)store_ingest_offset(j->ing), msg);
}

static int job_done(fetch_run *r, blob_job *j, CURLcode cc)
{
    long st = j->resp.status;
    int rc = 0;
    job_release_easy(r, j);
    r->active--;
    const char *what = j->blob->digest.text;
    if (j->err && j->err != JOB_ERR_RESTART)
        return berth_fail(j->err, "%s", j->errmsg);
    if (j->err == JOB_ERR_RESTART) {
        rc = job_retry(r, j, 0, "the server answered another byte range than asked; starting this blob over");
        return rc == 1 ? berth_fail(BERTH_ENETWORK, "blob %s: the server keeps answering wrong byte ranges", what) : rc;
    }
    if (cc != CURLE_OK) {
        if (client_curl_retryable(cc)) {
            char why[CURL_ERROR_SIZE + 64];
            snprintf(why, sizeof why, "connection problem (%s)", j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
            rc = job_retry(r, j, -1, why);
            if (rc != 1)
                return rc;
        }
        return berth_wrap(client_fail_curl(r->c, cc, j->errbuf, j->url), "blob %s", what);
    }
    if (st == 200 || st == 206) {
        int64_t have = store_ingest_offset(j->ing);
        if (j->blob->size < 0 || have == j->blob->size)
            return finish(r, j, 0);
        rc = job_retry(r, j, -1, "the connection ended before the whole blob arrived");
        return rc == 1 ? berth_fail(BERTH_ENETWORK, "blob %s: the transfer keeps ending early", what) : rc;
    }
    if (st >= 300 && st < 400 && j->resp.location) {
        if (++j->redirects > REGISTRY_MAX_REDIRECTS)
            return berth_fail(BERTH_ERROR, "blob %s: more than %d redirects", what, REGISTRY_MAX_REDIRECTS);
        char *next = NULL;
        int same = 0;
        if ((rc = client_resolve_redirect(r->c, j->url, j->resp.location, &next, &same)) != 0)
            return berth_wrap(rc, "blob %s", what);
        free(j->url);
        j->url = next;
        j->same_host = j->same_host && same;
        j->state = JOB_PENDING;
        j->next_at = 0;
        return 0;
    }
    if (st == 401 && j->same_host && !j->reauthed && j->resp.www_authenticate) {
        j->reauthed = 1;
        if ((rc = client_reauth(r->c, r->repo, j->resp.www_authenticate)) != 0)
            return berth_wrap(rc, "blob %s", what);
        j->state = JOB_PENDING;
        j->next_at = 0;
        return 0;
    }
    if ((st == 401 || st == 403) && !j->same_host && j->source < 0) {
        /* Blob storage refused a redirect's signed URL (it may have expired while we waited):
         * ask the registry again for a fresh one. */
        rc = job_retry(r, j, -1, "the blob storage refused the redirect");
        if (rc != 1)
            return rc;
    }
    if (st == 416) {
        store_ingest_reset(j->ing);
        rc = job_retry(r, j, 0, "the server refused our byte range; starting this blob over");
        return rc == 1 ? berth_fail(BERTH_ENETWORK, "blob %s: the server refuses byte ranges", what) : rc;
    }
    if (st == 429 || st >= 500) {
        char why[128];
        snprintf(why, sizeof why, "the server answered HTTP %ld", st);
        rc = job_retry(r, j, registry_retry_after_ms(j->resp.retry_after, 60000), why);
        if (rc != 1)
            return rc;
    }
    if ((st == 404 || st == 403) && r->o->allow_foreign && j->source + 1 < (int)j->blob->n_urls) {
        /* Foreign layer: the registry does not hold it; try where the manifest says it lives. */
        j->source++;
        j->attempts = 0;
        j->redirects = 0;
        if ((rc = source_url(r, j)) != 0)
            return rc;
        j->state = JOB_PENDING;
        j->next_at = 0;
        return 0;
    }
    char ctx[200];
    snprintf(ctx, sizeof ctx, "blob %s", what);
    return client_fail_status(r->c, &j->resp, ctx);
}

static int run_loop(fetch_run *r, int max)
{
    int rc = 0;
    for (;;) {
        long long now = client_now_ms();
        size_t left = 0;
        long long wake = now + PROGRESS_EVERY_MS;
        for (size_t i = 0; i < r->n && rc == 0; i++) {
            blob_job *j = &r->jobs[i];
            if (j->state == JOB_DONE)
                continue;
            left++;
            if ((j->state == JOB_PENDING || j->state == JOB_WAIT) && r->active < max) {
                if (j->next_at <= now)
                    rc = job_start(r, j);
                else if (j->next_at < wake)
                    wake = j->next_at;
            }
        }
        if (rc || left == 0)
            return rc;
        int running = 0;
        curl_multi_perform(r->multi, &running);
        CURLMsg *m;
        int q, finished = 0;
        while (rc == 0 && (m = curl_multi_info_read(r->multi, &q)) != NULL) {
            if (m->msg != CURLMSG_DONE)
                continue;
            blob_job *j = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            rc = job_done(r, j, m->data.result);
            finished++;
        }
        if (rc)
            return rc;
        /* A transfer ended: a slot is free (or everything is done) — go round at once rather
         * than sleeping in poll. */
        if (finished)
            continue;
        now = client_now_ms();
        if (now - r->last_progress >= PROGRESS_EVERY_MS) {
            r->last_progress = now;
            for (size_t i = 0; i < r->n && rc == 0; i++)
                if (r->jobs[i].state == JOB_ACTIVE)
                    rc = emit(r, "download", &r->jobs[i], (uint64_t)store_ingest_offset(r->jobs[i].ing), NULL);
            /* Nothing in flight still gives the caller a chance to cancel. */
            if (rc == 0 && r->active == 0 && client_canceled(r->c))
                rc = berth_fail(BERTH_ECANCELED, "canceled");
            if (rc)
                return rc;
        }
        long timeout = (long)(wake - client_now_ms());
        if (timeout < 0)
            timeout = 0;
        if (timeout > PROGRESS_EVERY_MS)
            timeout = PROGRESS_EVERY_MS;
        curl_multi_poll(r->multi, NULL, 0, (int)timeout, NULL);
    }
}

int registry_fetch_blobs(registry_client *c, berth_t *b, const char *repo, const registry_blob *blobs, size_t n,
                         const registry_fetch_options *opts)
{
    fetch_run r = { c, b, repo, opts, NULL, n, NULL, 0, 0 };
    int rc = 0;
    if (n == 0)
        return 0;
    if (!c->pinged && (rc = registry_ping(c)) != 0)
        return rc;
    if (!(r.jobs = calloc(n, sizeof *r.jobs)) || !(r.multi = curl_multi_init())) {
        rc = berth_fail_oom();
        goto out;
    }
    int max = opts->max_concurrent > 0 ? opts->max_concurrent : 3;
    curl_multi_setopt(r.multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)max);
    for (size_t i = 0; i < n; i++) {
        r.jobs[i].index = i;
        r.jobs[i].blob = &blobs[i];
        r.jobs[i].source = -1;
        r.jobs[i].state = JOB_PENDING;
    }
    rc = run_loop(&r, max);
out:
    for (size_t i = 0; r.jobs && i < n; i++) {
        blob_job *j = &r.jobs[i];
        job_release_easy(&r, j);
        store_ingest_abort(j->ing); /* keeps the partial file: the next pull resumes it */
        curl_slist_free_all(j->hdrs);
        client_response_clear(&j->resp);
        free(j->url);
    }
    if (r.multi)
        curl_multi_cleanup(r.multi);
    free(r.jobs);
    return rc;
}
