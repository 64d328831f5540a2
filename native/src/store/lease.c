/* Leases: an operation in flight (a pull) records the digests it is about to reference, so
 * garbage collection, running in another process, does not delete them under it. A lease
 * belongs to a process; when that process is gone (killed, crashed) the lease no longer
 * counts and is swept by store_lease_sweep. */
#include "store/store.h"
#include "store/lease_owner.h"
#include "store/sql.h"
#include "core/error.h"
#include <time.h>

int store_lease_begin(int64_t *lease_out, berth_t *b, const char *purpose)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    char token[32];
    int64_t pid = lease_owner_self(token, sizeof token);
    if (!lease_out || !db)
        return berth_fail(BERTH_EINVAL, "store_lease_begin: NULL argument");
    int rc = sql_tx_begin(db, 1);
    if (rc)
        return rc;
    if ((rc = sql_prepare(&st, db, "INSERT INTO leases (purpose, pid, pid_start, created) VALUES (?1, ?2, ?3, ?4)",
                          "begin lease")) == 0) {
        sqlite3_bind_text(st, 1, purpose ? purpose : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, pid);
        sqlite3_bind_text(st, 3, token, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, "begin lease");
        else
            *lease_out = sqlite3_last_insert_rowid(db);
        sqlite3_finalize(st);
    }
    return sql_tx_end(db, rc);
}

int store_lease_add(berth_t *b, int64_t lease, const berth_digest *d)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    if (!db || !d)
        return berth_fail(BERTH_EINVAL, "store_lease_add: NULL argument");
    int rc = sql_tx_begin(db, 1);
    if (rc)
        return rc;
    if ((rc = sql_prepare(&st, db, "INSERT OR IGNORE INTO lease_blobs (lease_id, digest) "
                                   "SELECT id, ?2 FROM leases WHERE id = ?1", "add to lease")) == 0) {
        sqlite3_bind_int64(st, 1, lease);
        sqlite3_bind_text(st, 2, d->text, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, "add to lease");
        sqlite3_finalize(st);
    }
    if (rc == 0 && (rc = sql_prepare(&st, db, "SELECT 1 FROM leases WHERE id = ?1", "check lease")) == 0) {
        sqlite3_bind_int64(st, 1, lease);
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = berth_fail(BERTH_ENOTFOUND, "lease %lld does not exist (it ended or was swept)", (long long)lease);
        sqlite3_finalize(st);
    }
    return sql_tx_end(db, rc);
}

int store_lease_end(berth_t *b, int64_t lease)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    if (!db)
        return berth_fail(BERTH_EINVAL, "store_lease_end: NULL argument");
    int rc = sql_tx_begin(db, 1);
    if (rc)
        return rc;
    if ((rc = sql_prepare(&st, db, "DELETE FROM leases WHERE id = ?1", "end lease")) == 0) {
        sqlite3_bind_int64(st, 1, lease);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, "end lease");
        sqlite3_finalize(st);
    }
    return sql_tx_end(db, rc);
}

/* Deletes leases whose owner is gone. Call inside a write transaction (gc does, first). */
static int sweep(sqlite3 *db, int64_t *swept)
{
    sqlite3_stmt *st = NULL, *del = NULL;
    int rc = sql_prepare(&st, db, "SELECT id, pid, pid_start FROM leases", "read leases");
    if (rc == 0)
        rc = sql_prepare(&del, db, "DELETE FROM leases WHERE id = ?1", "sweep lease");
    int s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (lease_owner_alive(sqlite3_column_int64(st, 1), sql_text(st, 2)))
            continue;
        sqlite3_reset(del);
        sqlite3_bind_int64(del, 1, sqlite3_column_int64(st, 0));
        if (sqlite3_step(del) != SQLITE_DONE)
            rc = sql_fail(db, "sweep lease");
        else if (swept)
            (*swept)++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "read leases");
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    return rc;
}

int store_lease_sweep(berth_t *b, int64_t *swept)
{
    sqlite3 *db = store_meta_db(b);
    if (swept)
        *swept = 0;
    int rc = sql_tx_begin(db, 1);
    return rc ? rc : sql_tx_end(db, sweep(db, swept));
}

int store_lease_held(berth_t *b, const berth_digest *d)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    int held = 0;
    if (sql_prepare(&st, db, "SELECT l.pid, l.pid_start FROM lease_blobs lb JOIN leases l ON l.id = lb.lease_id "
                             "WHERE lb.digest = ?1", "read leases") != 0)
        return 1; /* when in doubt, keep the blob */
    sqlite3_bind_text(st, 1, d->text, -1, SQLITE_STATIC);
    while (!held && sqlite3_step(st) == SQLITE_ROW)
        held = lease_owner_alive(sqlite3_column_int64(st, 0), sql_text(st, 1));
    sqlite3_finalize(st);
    return held;
}
