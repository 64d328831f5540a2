/* Small helpers over the metadata connection: statements that fail with a message naming the
 * step, and transactions that also serialise the threads sharing one berth_t (SQLite's own
 * connection mutex, held for the whole transaction, so no thread's statements land inside
 * another thread's BEGIN…COMMIT). */
#ifndef BERTH_STORE_SQL_H
#define BERTH_STORE_SQL_H
#include <sqlite3.h>

int sql_exec(sqlite3 *db, const char *sql, const char *what);
int sql_prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql, const char *what);
/* Fails with the connection's message for the step `what`. */
int sql_fail(sqlite3 *db, const char *what);
/* BEGIN IMMEDIATE (write) or BEGIN (consistent reads), holding the connection's mutex. */
int sql_tx_begin(sqlite3 *db, int write);
/* COMMIT when rc == 0, else ROLLBACK; releases the mutex; returns rc or COMMIT's failure. */
int sql_tx_end(sqlite3 *db, int rc);
/* Binds text, or NULL when s is NULL. */
void sql_bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/* Column text, "" for NULL. */
const char *sql_text(sqlite3_stmt *st, int i);

#endif
