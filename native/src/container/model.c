/* Container rows in berth.db. Every statement is one implicit transaction, and every state
 * change names the state it expects, so two processes racing on one container cannot both
 * win (the loser changes nothing). */
#include "container/container.h"
#include "core/error.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS "id, name, image, image_id, spec, state, error, created, started, finished, pid, shim_pid, exit_code, auto_remove, restart_count, restarting, manual_stop"

void container_rec_free(container_rec *r)
{
    if (!r)
        return;
    free(r->name); free(r->image); free(r->image_id); free(r->spec); free(r->state);
    free(r->error); free(r->created); free(r->started); free(r->finished);
    memset(r, 0, sizeof *r);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

static int read_row(container_rec *r, sqlite3_stmt *st)
{
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", (const char *)sqlite3_column_text(st, 0));
    r->name = col_dup(st, 1);
    r->image = col_dup(st, 2);
    r->image_id = col_dup(st, 3);
    r->spec = col_dup(st, 4);
    r->state = col_dup(st, 5);
    r->error = col_dup(st, 6);
    r->created = col_dup(st, 7);
    r->started = col_dup(st, 8);
    r->finished = col_dup(st, 9);
    r->pid = sqlite3_column_int64(st, 10);
    r->shim_pid = sqlite3_column_int64(st, 11);
    r->exit_code = sqlite3_column_int(st, 12);
    r->auto_remove = sqlite3_column_int(st, 13);
    r->restart_count = sqlite3_column_int(st, 14);
    r->restarting = sqlite3_column_int(st, 15);
    r->manual_stop = sqlite3_column_int(st, 16);
    if (!r->name || !r->image || !r->spec || !r->state || !r->created) {
        container_rec_free(r);
        return berth_fail_oom();
    }
    return 0;
}

static int db_err(sqlite3 *db, const char *what)
{
    return berth_fail(BERTH_ERROR, "container metadata: %s: %s", what, db ? sqlite3_errmsg(db) : "store not open");
}

static int prepare(sqlite3_stmt **st, berth_t *b, const char *sql)
{
    sqlite3 *db = store_meta_db(b);
    if (!db || sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return db_err(db, "prepare");
    return 0;
}

int container_db_insert(berth_t *b, const container_rec *r)
{
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "INSERT INTO containers (" COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,0,0,0)");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->image, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->image_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->spec, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->created, -1, SQLITE_STATIC);
    sqlite3_bind_null(st, 9);
    sqlite3_bind_null(st, 10);
    sqlite3_bind_int64(st, 11, 0);
    sqlite3_bind_int64(st, 12, 0);
    sqlite3_bind_int(st, 13, 0);
    sqlite3_bind_int(st, 14, r->auto_remove);
    int s = sqlite3_step(st);
    if (s == SQLITE_CONSTRAINT)
        rc = berth_fail(BERTH_EEXISTS, "the container name \"%s\" is already in use — remove that container (berth rm %s) or choose another --name",
                        r->name, r->name);
    else if (s != SQLITE_DONE)
        rc = db_err(store_meta_db(b), "insert container");
    sqlite3_finalize(st);
    return rc;
}

int container_db_get(container_rec *out, berth_t *b, const char *id)
{
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "SELECT " COLS " FROM containers WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = read_row(out, st);
    else if (s == SQLITE_DONE)
        rc = berth_fail(BERTH_ENOTFOUND, "no such container: %s", id);
    else
        rc = db_err(store_meta_db(b), "read container");
    sqlite3_finalize(st);
    return rc;
}

int container_db_find(container_rec *out, berth_t *b, const char *key)
{
    if (!key || !*key)
        return berth_fail(BERTH_EINVAL, "no container name or id given");
    sqlite3_stmt *st;
    /* exact name or id first; then an id prefix, which must be unique */
    int rc = prepare(&st, b, "SELECT " COLS " FROM containers WHERE name = ?1 OR id = ?1 "
                              "UNION ALL SELECT " COLS " FROM containers WHERE substr(id, 1, length(?1)) = ?1 AND id <> ?1 "
                              "AND NOT EXISTS (SELECT 1 FROM containers WHERE name = ?1 OR id = ?1) LIMIT 2");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        rc = read_row(out, st);
        if (rc == 0 && sqlite3_step(st) == SQLITE_ROW && strcmp(out->name, key) != 0 && strcmp(out->id, key) != 0) {
            container_rec_free(out);
            rc = berth_fail(BERTH_EINVAL, "the id prefix \"%s\" matches several containers — give more of the id or the name", key);
        }
    } else if (s == SQLITE_DONE) {
        rc = berth_fail(BERTH_ENOTFOUND, "no such container: %s (berth ps -a lists them)", key);
    } else {
        rc = db_err(store_meta_db(b), "find container");
    }
    sqlite3_finalize(st);
    return rc;
}

int container_db_list(container_rec **out, size_t *n_out, berth_t *b)
{
    *out = NULL;
    *n_out = 0;
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "SELECT " COLS " FROM containers ORDER BY created DESC, id");
    if (rc)
        return rc;
    container_rec *v = NULL;
    size_t n = 0, cap = 0;
    int s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            container_rec *nv = realloc(v, nc * sizeof *v);
            if (!nv) {
                rc = berth_fail_oom();
                break;
            }
            v = nv;
            cap = nc;
        }
        if ((rc = read_row(&v[n], st)) == 0)
            n++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = db_err(store_meta_db(b), "list containers");
    sqlite3_finalize(st);
    if (rc) {
        for (size_t i = 0; i < n; i++)
            container_rec_free(&v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *n_out = n;
    return 0;
}

static int exec_update(berth_t *b, sqlite3_stmt *st, const char *what)
{
    int s = sqlite3_step(st);
    int rc = s == SQLITE_DONE ? 0 : db_err(store_meta_db(b), what);
    sqlite3_finalize(st);
    return rc;
}

int container_db_set_running(berth_t *b, const char *id, int64_t pid, int64_t shim_pid)
{
    char now[64];
    container_now(now, sizeof now);
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "UPDATE containers SET state = 'running', pid = ?2, shim_pid = ?3, started = ?4, finished = NULL, "
                             "error = NULL, exit_code = 0, restarting = 0 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, pid);
    sqlite3_bind_int64(st, 3, shim_pid);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    return exec_update(b, st, "record running");
}

int container_db_set_exited(berth_t *b, const char *id, const char *from_state, int exit_code, const char *error)
{
    char now[64];
    container_now(now, sizeof now);
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "UPDATE containers SET state = 'exited', pid = 0, shim_pid = 0, exit_code = ?2, error = ?3, finished = ?4, restarting = 0 "
                             "WHERE id = ?1 AND (?5 IS NULL OR state = ?5)");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, exit_code);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, from_state, -1, SQLITE_STATIC);
    return exec_update(b, st, "record exit");
}

int container_db_set_restarting(berth_t *b, const char *id, int exit_code, int restart_count)
{
    char now[64];
    container_now(now, sizeof now);
    sqlite3_stmt *st;
    /* the monitor stays (shim_pid, state "running"): only the run is over */
    int rc = prepare(&st, b, "UPDATE containers SET restarting = 1, pid = 0, exit_code = ?2, restart_count = ?3, finished = ?4 "
                             "WHERE id = ?1 AND state = 'running'");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, exit_code);
    sqlite3_bind_int(st, 3, restart_count);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
    return exec_update(b, st, "record restart");
}

int container_db_set_spec(berth_t *b, const char *id, const char *spec)
{
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "UPDATE containers SET spec = ?2 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
    return exec_update(b, st, "update container spec");
}

int container_db_set_manual_stop(berth_t *b, const char *id, int stopped)
{
    sqlite3_stmt *st;
    /* a start forgets the stop and the restarts before it, as docker's start does */
    int rc = prepare(&st, b, stopped ? "UPDATE containers SET manual_stop = 1 WHERE id = ?1"
                                     : "UPDATE containers SET manual_stop = 0, restart_count = 0 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return exec_update(b, st, "record a stop by the user");
}

int container_db_manual_stop(berth_t *b, const char *id)
{
    sqlite3_stmt *st;
    if (prepare(&st, b, "SELECT manual_stop FROM containers WHERE id = ?1") != 0) {
        berth_error_clear();
        return 0;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int stopped = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;   /* a removed row: stop */
    sqlite3_finalize(st);
    return stopped;
}

int container_db_set_start_failed(berth_t *b, const char *id, int exit_code, const char *error)
{
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "UPDATE containers SET state = 'created', pid = 0, shim_pid = 0, exit_code = ?2, error = ?3 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, exit_code);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    return exec_update(b, st, "record failed start");
}

int container_db_delete(berth_t *b, const char *id, int exit_code)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st;
    int rc;
    if (exit_code >= 0) {
        char now[64];
        container_now(now, sizeof now);
        /* keep an hour of exit codes of removed containers; older ones go */
        if ((rc = prepare(&st, b, "INSERT OR REPLACE INTO container_exits (id, exit_code, finished) VALUES (?1, ?2, ?3)")) != 0)
            return rc;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, exit_code);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
        if ((rc = exec_update(b, st, "record exit of removed container")) != 0)
            return rc;
        sqlite3_exec(db, "DELETE FROM container_exits WHERE finished < strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 hour')", NULL, NULL, NULL);
    }
    if ((rc = prepare(&st, b, "DELETE FROM containers WHERE id = ?1")) != 0)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return exec_update(b, st, "delete container");
}

int container_db_removed_exit(int *exit_code, berth_t *b, const char *id)
{
    sqlite3_stmt *st;
    int rc = prepare(&st, b, "SELECT exit_code FROM container_exits WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        *exit_code = sqlite3_column_int(st, 0);
    else
        rc = berth_fail(BERTH_ENOTFOUND, "container %.12s was removed and its exit code is no longer known", id);
    sqlite3_finalize(st);
    return rc;
}
