/* Garbage collection beyond blobs: the lock, layer folders, partial ingests (see gc.h). */
#include "gc/gc.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/handle.h"
#include "layer/layer.h"
#include "store/dir_walk.h"
#include "store/ingest_file.h"
#include "store/sql.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the lock: an flock'ed file, held for the whole prune ---- */

struct gc_lock {
    ingest_file *f;
};

int gc_lock_take(gc_lock **out, berth_t *b)
{
    *out = NULL;
    char *p = fs_join(b->root, "gc.lock");
    gc_lock *l = calloc(1, sizeof *l);
    int rc = p && l ? ingest_file_open(&l->f, p) : berth_fail_oom();
    if (rc == BERTH_EBUSY)
        rc = berth_fail(BERTH_EBUSY, "another `berth prune` is running on %s; wait for it to finish", b->root);
    free(p);
    if (rc) {
        free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void gc_lock_release(gc_lock *l)
{
    if (!l)
        return;
    ingest_file_close(l->f); /* the file stays: removing it would race a waiting locker */
    free(l);
}

/* ---- containers (their table arrives with the containers concern) ---- */

int gc_container_uses(sqlite3 *db, const char *image_id)
{
    sqlite3_stmt *st = NULL;
    int there = 0;
    if (sql_prepare(&st, db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'containers'",
                    "look for the containers table") != 0)
        return BERTH_ERROR;
    there = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!there)
        return 0;
    if (sql_prepare(&st, db, "SELECT 1 FROM containers WHERE image_id = ?1 LIMIT 1", "find containers of an image") != 0)
        return BERTH_ERROR;
    sqlite3_bind_text(st, 1, image_id, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st), rc = s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : sql_fail(db, "find containers of an image");
    sqlite3_finalize(st);
    return rc;
}

/* ---- layers ---- */

typedef struct {
    char (*hex)[65];   /* chain ids some image needs, sorted */
    size_t n, cap;
} chain_set;

static int cmp_hex(const void *a, const void *b) { return strcmp(a, b); }

static int chain_add(chain_set *s, const berth_digest *d)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char (*g)[65] = realloc(s->hex, cap * sizeof *g);
        if (!g)
            return berth_fail_oom();
        s->hex = g;
        s->cap = cap;
    }
    snprintf(s->hex[s->n++], 65, "%s", digest_hex(d));
    return 0;
}

/* Every image's chain ids, from its layers' diff_ids base first. */
static int needed_chains(chain_set *s, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, "SELECT image_id, diff_id FROM image_layers ORDER BY image_id, position",
                         "read image layers"), r;
    char image[DIGEST_TEXT_MAX] = "";
    berth_digest chain, diff;
    int have_parent = 0;
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (strcmp(image, sql_text(st, 0)) != 0) {
            snprintf(image, sizeof image, "%s", sql_text(st, 0));
            have_parent = 0;
        }
        if ((rc = digest_parse(&diff, sql_text(st, 1))) != 0)
            break;
        if ((rc = layer_chain_id(&chain, have_parent ? &chain : NULL, &diff)) != 0 || (rc = chain_add(s, &chain)) != 0)
            break;
        have_parent = 1;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = sql_fail(db, "read image layers");
    sqlite3_finalize(st);
    if (rc == 0 && s->n)
        qsort(s->hex, s->n, sizeof *s->hex, cmp_hex);
    return rc;
}

typedef struct {
    berth_t *b;
    chain_set need;
    int64_t *removed, *bytes;
    char *dir;
} layer_walk;

static int is_hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static int consider_layer(const char *name, void *payload)
{
    layer_walk *w = payload;
    if (!is_hex64(name) || bsearch(name, w->need.hex, w->need.n, sizeof *w->need.hex, cmp_hex))
        return 0;
    berth_digest chain;
    char text[80];
    snprintf(text, sizeof text, "sha256:%s", name);
    if (digest_parse(&chain, text) != 0 || store_lease_held(w->b, &chain))
        return 0;
    char *path = fs_join(w->dir, name);
    if (!path)
        return BERTH_ENOMEM;
    int64_t bytes = gc_tree_bytes(path);
    free(path);
    /* layer_remove renames first, then deletes: never a half layer at a layer's name. */
    if (layer_remove(w->b, &chain) == 0) {
        (*w->removed)++;
        *w->bytes += bytes;
    }
    berth_error_clear();
    return 0;
}

int gc_layers_sweep(berth_t *b, sqlite3 *db, int64_t *removed, int64_t *bytes)
{
    layer_walk w = { b, { NULL, 0, 0 }, removed, bytes, fs_join(b->root, "layers") };
    int rc = w.dir ? needed_chains(&w.need, db) : BERTH_ENOMEM;
    if (rc == 0)
        rc = dir_walk(w.dir, consider_layer, &w);
    free(w.need.hex);
    free(w.dir);
    return rc;
}

/* ---- partial ingests ---- */

#define PUT_MIN_AGE 600

typedef struct {
    char *dir;
    int64_t grace, now;
    int64_t *removed, *bytes;
} ingest_walk;

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int consider_ingest(const char *name, void *payload)
{
    ingest_walk *w = payload;
    int partial = ends_with(name, ".partial"), put = strncmp(name, "put-", 4) == 0;
    if (!partial && !put)
        return 0;
    char *p = fs_join(w->dir, name);
    if (!p)
        return BERTH_ENOMEM;
    int64_t mtime = gc_mtime(p);
    /* put- temporaries carry no lock (a put takes milliseconds): they always get ten minutes,
     * whatever the grace, so a put in flight is never pulled from under its rename. */
    int64_t grace = put && w->grace < PUT_MIN_AGE ? PUT_MIN_AGE : w->grace;
    if (mtime < 0 || w->now - mtime < grace) {
        free(p);
        return 0;
    }
    if (partial) {
        /* A writer holds its partial locked: only what no process is writing goes. */
        ingest_file *f = NULL;
        if (ingest_file_open(&f, p) == 0) {
            int64_t size = ingest_file_size(f);
            ingest_file_remove(f);
            (*w->removed)++;
            *w->bytes += size > 0 ? size : 0;
        }
    } else {
        int64_t size = fs_size(p);
        if (remove(p) == 0) {
            (*w->removed)++;
            *w->bytes += size > 0 ? size : 0;
        }
    }
    berth_error_clear();
    free(p);
    return 0;
}

int gc_ingests(berth_t *b, int64_t grace_s, int64_t *removed, int64_t *bytes)
{
    ingest_walk w = { fs_join(b->root, "ingest"), grace_s, (int64_t)time(NULL), removed, bytes };
    int rc = w.dir ? dir_walk(w.dir, consider_ingest, &w) : BERTH_ENOMEM;
    free(w.dir);
    return rc;
}
