/* The metadata database: SQLite in WAL mode, so several processes (two PowerShell windows, the
 * DSC engine, a script) read and write one store at once. Schema changes are numbered
 * migrations, applied in one transaction each and recorded in schema_version. */
#include "core/error.h"
#include "core/fs.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdlib.h>

struct store_meta {
    sqlite3 *db;
};

/* Each entry moves the schema from version i to i+1. Never edit a shipped entry: add one. */
static const char *const migrations[] = {
    /* 1: the version table itself (further tables arrive with the store work) */
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
};

static int exec_sql(sqlite3 *db, const char *sql, const char *what)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = berth_fail(BERTH_ERROR, "metadata: %s: %s", what, err ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        return rc;
    }
    return 0;
}

static int migrate(sqlite3 *db)
{
    int rc = exec_sql(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", "create schema_version");
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    int have = 0;
    if (sqlite3_prepare_v2(db, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        have = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    int want = (int)(sizeof migrations / sizeof migrations[0]);
    if (have > want)
        return berth_fail(BERTH_EUNSUPPORTED, "metadata: the store was written by a newer Berth (schema %d; this one knows %d) — upgrade Berth", have, want);
    for (int v = have; v < want; v++) {
        if ((rc = exec_sql(db, "BEGIN IMMEDIATE", "begin migration")) != 0)
            return rc;
        rc = exec_sql(db, migrations[v], "migrate");
        if (rc == 0) {
            char sql[96];
            sqlite3_snprintf(sizeof sql, sql, "INSERT INTO schema_version VALUES (%d)", v + 1);
            rc = exec_sql(db, sql, "record migration");
        }
        exec_sql(db, rc == 0 ? "COMMIT" : "ROLLBACK", "end migration");
        if (rc)
            return rc;
    }
    return 0;
}

int store_meta_open(berth_t *b)
{
    char *path = fs_join(b->root, "berth.db");
    if (!path)
        return BERTH_ENOMEM;
    struct store_meta *m = calloc(1, sizeof *m);
    int rc = 0;
    if (!m) {
        rc = berth_fail_oom();
        goto out;
    }
    if (sqlite3_open_v2(path, &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        rc = berth_fail(BERTH_ERROR, "metadata: open %s: %s", path, m->db ? sqlite3_errmsg(m->db) : "out of memory");
        goto out;
    }
    /* Other processes hold the write lock only for a transaction's length: wait, do not fail. */
    sqlite3_busy_timeout(m->db, 30000);
    if ((rc = exec_sql(m->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", "configure")) != 0)
        goto out;
    if ((rc = migrate(m->db)) != 0)
        goto out;
    b->meta = m;
    m = NULL;
out:
    if (m) {
        sqlite3_close(m->db);
        free(m);
    }
    free(path);
    return rc;
}

void store_meta_close(berth_t *b)
{
    if (!b || !b->meta)
        return;
    sqlite3_close(b->meta->db);
    free(b->meta);
    b->meta = NULL;
}
