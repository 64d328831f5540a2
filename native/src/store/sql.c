#include "store/sql.h"
#include "core/error.h"
#include "berth.h"

int sql_fail(sqlite3 *db, const char *what)
{
    int e = sqlite3_errcode(db);
    int code = (e == SQLITE_BUSY || e == SQLITE_LOCKED) ? BERTH_EBUSY : BERTH_ERROR;
    if (e == SQLITE_NOMEM)
        return berth_fail_oom();
    return berth_fail(code, "metadata: %s: %s%s", what, sqlite3_errmsg(db),
                      code == BERTH_EBUSY ? " (another process held the store for too long; retry)" : "");
}

int sql_exec(sqlite3 *db, const char *sql, const char *what)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : sql_fail(db, what);
}

int sql_prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql, const char *what)
{
    *out = NULL;
    return sqlite3_prepare_v2(db, sql, -1, out, NULL) == SQLITE_OK ? 0 : sql_fail(db, what);
}

int sql_tx_begin(sqlite3 *db, int write)
{
    sqlite3_mutex_enter(sqlite3_db_mutex(db));
    int rc = sql_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", "begin transaction");
    if (rc)
        sqlite3_mutex_leave(sqlite3_db_mutex(db));
    return rc;
}

int sql_tx_end(sqlite3 *db, int rc)
{
    if (rc == 0)
        rc = sql_exec(db, "COMMIT", "commit");
    if (rc != 0 && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL); /* keeps the first failure's message */
    sqlite3_mutex_leave(sqlite3_db_mutex(db));
    return rc;
}

void sql_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

const char *sql_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}
