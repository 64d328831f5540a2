#include "image/pull_unpack.h"
#include "core/error.h"
#include "core/thread.h"
#include "layer/layer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two workers: decompression is CPU-bound, and the download loop needs little. */
#define UNPACK_WORKERS 2

enum job_state { JOB_WAITING, JOB_READY, JOB_RUNNING, JOB_DONE };

typedef struct {
    enum job_state state;
    berth_digest parent;      /* chain id of the layer below */
    int has_parent;
    uint64_t current;         /* compressed bytes read so far */
    uint64_t reported;        /* what the last relay showed */
    enum job_state reported_state;
    int existed;
    int rc;
    char msg[1024];           /* the worker's berth_errmsg(), carried to the pull's thread */
} unpack_job;

struct pull_unpacker {
    berth_t *b;
    const store_layer *layers;
    size_t n;
    unpack_job *jobs;
    berth_mutex m;
    berth_cond cv;
    berth_thread threads[UNPACK_WORKERS];
    int n_threads;
    int cancel;               /* stop now: the pull failed or was canceled */
    int closing;              /* no job will become ready any more */
};

typedef struct {
    pull_unpacker *u;
    unpack_job *job;
} worker_progress_ctx;

static int worker_progress(const berth_progress *p, void *payload)
{
    worker_progress_ctx *w = payload;
    mutex_lock(&w->u->m);
    w->job->current = p->current;
    int stop = w->u->cancel;
    mutex_unlock(&w->u->m);
    return stop;
}

static void run_job(pull_unpacker *u, size_t i)
{
    unpack_job *job = &u->jobs[i];
    const store_layer *l = &u->layers[i];
    worker_progress_ctx ctx = { u, job };
    layer_options o;
    memset(&o, 0, sizeof o);
    o.id = l->digest.text;
    o.total = l->size > 0 ? (uint64_t)l->size : 0;
    o.progress = worker_progress;
    o.progress_payload = &ctx;
    layer_result res;
    memset(&res, 0, sizeof res);
    char *path = store_blob_path(u->b, &l->digest);
    int rc = path ? layer_unpack_file_to_store(&res, u->b, path, l->media_type, &l->diff_id,
                                              job->has_parent ? &job->parent : NULL, &o)
                  : BERTH_ENOMEM;
    free(path);
    mutex_lock(&u->m);
    job->rc = rc;
    job->existed = res.existed;
    if (rc)
        snprintf(job->msg, sizeof job->msg, "layer %zu (%s): %s", i, l->digest.text, berth_errmsg());
    job->state = JOB_DONE;
    cond_broadcast(&u->cv);
    mutex_unlock(&u->m);
}

static void *worker(void *arg)
{
    pull_unpacker *u = arg;
    mutex_lock(&u->m);
    for (;;) {
        size_t pick = u->n;
        int pending = 0;
        for (size_t i = 0; i < u->n && !u->cancel; i++) {
            if (u->jobs[i].state == JOB_READY && pick == u->n)
                pick = i;
            if (u->jobs[i].state == JOB_WAITING)
                pending = 1;
        }
        if (u->cancel || (pick == u->n && (!pending || u->closing)))
            break;
        if (pick == u->n) {
            cond_wait_ms(&u->cv, &u->m, 200);
            continue;
        }
        u->jobs[pick].state = JOB_RUNNING;
        mutex_unlock(&u->m);
        run_job(u, pick);
        mutex_lock(&u->m);
    }
    mutex_unlock(&u->m);
    return NULL;
}

int pull_unpacker_start(pull_unpacker **out, berth_t *b, const store_layer *layers, size_t n)
{
    pull_unpacker *u = calloc(1, sizeof *u);
    if (!u || !(u->jobs = calloc(n ? n : 1, sizeof *u->jobs))) {
        free(u);
        return berth_fail_oom();
    }
    u->b = b;
    u->layers = layers;
    u->n = n;
    /* Chain ids come from the diff_ids alone, so every layer knows its parent up front. */
    int rc = 0;
    berth_digest chain;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i > 0) {
            u->jobs[i].parent = chain;
            u->jobs[i].has_parent = 1;
        }
        rc = layer_chain_id(&chain, i > 0 ? &u->jobs[i].parent : NULL, &layers[i].diff_id);
    }
    if (rc) {
        free(u->jobs);
        free(u);
        return rc;
    }
    mutex_init(&u->m);
    cond_init(&u->cv);
    for (int t = 0; t < UNPACK_WORKERS && (size_t)t < n; t++) {
        if ((rc = thread_start(&u->threads[t], worker, u)) != 0)
            break;
        u->n_threads++;
    }
    *out = u;
    if (rc) {
        pull_unpacker_free(u);
        *out = NULL;
    }
    return rc;
}

void pull_unpacker_blob_ready(pull_unpacker *u, const berth_digest *blob)
{
    mutex_lock(&u->m);
    for (size_t i = 0; i < u->n; i++)
        if (u->jobs[i].state == JOB_WAITING && digest_equal(&u->layers[i].digest, blob))
            u->jobs[i].state = JOB_READY;
    cond_broadcast(&u->cv);
    mutex_unlock(&u->m);
}

/* One event per change: "unpack" while a layer extracts, "unpacked" once it is committed. */
int pull_unpacker_relay(pull_unpacker *u, berth_progress_fn fn, void *payload)
{
    if (!fn)
        return 0;
    for (size_t i = 0; i < u->n; i++) {
        mutex_lock(&u->m);
        unpack_job *j = &u->jobs[i];
        enum job_state st = j->state;
        uint64_t cur = j->current;
        int changed = (st == JOB_RUNNING && cur != j->reported) ||
                      (st == JOB_DONE && j->rc == 0 && j->reported_state != JOB_DONE);
        j->reported = cur;
        j->reported_state = st;
        int existed = j->existed;
        mutex_unlock(&u->m);
        if (!changed)
            continue;
        const store_layer *l = &u->layers[i];
        uint64_t total = l->size > 0 ? (uint64_t)l->size : 0;
        berth_progress ev = { st == JOB_DONE ? "unpacked" : "unpack", l->digest.text,
                              st == JOB_DONE ? total : cur, total,
                              st == JOB_DONE ? (existed ? "already unpacked" : "unpacked") : "unpacking" };
        if (fn(&ev, payload) != 0) {
            mutex_lock(&u->m);
            u->cancel = 1;
            cond_broadcast(&u->cv);
            mutex_unlock(&u->m);
            return 1;
        }
    }
    return 0;
}

int pull_unpacker_finish(pull_unpacker *u, berth_progress_fn fn, void *payload)
{
    mutex_lock(&u->m);
    u->closing = 1;
    cond_broadcast(&u->cv);
    mutex_unlock(&u->m);
    for (;;) {
        if (pull_unpacker_relay(u, fn, payload) != 0)
            return berth_fail(BERTH_ECANCELED, "canceled while unpacking");
        mutex_lock(&u->m);
        size_t done = 0, failed = u->n;
        for (size_t i = 0; i < u->n; i++) {
            if (u->jobs[i].state == JOB_DONE)
                done++;
            if (u->jobs[i].state == JOB_DONE && u->jobs[i].rc && failed == u->n)
                failed = i;
        }
        if (failed != u->n) {
            /* Stop the others: the image will not be committed anyway. */
            u->cancel = 1;
            cond_broadcast(&u->cv);
            int rc = berth_fail(u->jobs[failed].rc, "%s", u->jobs[failed].msg);
            mutex_unlock(&u->m);
            return rc;
        }
        if (done == u->n) {
            mutex_unlock(&u->m);
            return 0;
        }
        /* finish runs only after every blob committed, so a layer still waiting with nothing
         * ready or running would wait forever: say so instead of hanging. */
        int busy = 0, waiting = 0;
        for (size_t i = 0; i < u->n; i++) {
            busy |= u->jobs[i].state == JOB_READY || u->jobs[i].state == JOB_RUNNING;
            waiting |= u->jobs[i].state == JOB_WAITING;
        }
        if (!busy && waiting) {
            mutex_unlock(&u->m);
            return berth_fail(BERTH_ERROR, "unpack: a layer's blob never arrived (internal error)");
        }
        cond_wait_ms(&u->cv, &u->m, 100);
        mutex_unlock(&u->m);
    }
}

void pull_unpacker_free(pull_unpacker *u)
{
    if (!u)
        return;
    mutex_lock(&u->m);
    u->cancel = 1;
    u->closing = 1;
    cond_broadcast(&u->cv);
    mutex_unlock(&u->m);
    for (int t = 0; t < u->n_threads; t++)
        thread_join(&u->threads[t]);
    cond_destroy(&u->cv);
    mutex_destroy(&u->m);
    free(u->jobs);
    free(u);
}
