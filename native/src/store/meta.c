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

/* Numbered migrations, one list per concern, so each concern's schema evolves on its own.
 * Entry i moves that concern from version i to i+1. Never edit a shipped entry: add one. */
static const char *const store_steps[] = {
    /* 1: images (id = config digest, as in docker), their layers base first, tags and
     * repository digests that name them, and leases that keep in-flight blobs from gc. */
    "CREATE TABLE images ("
    "  id TEXT PRIMARY KEY,"                 /* sha256:<config hex> */
    "  manifest_digest TEXT NOT NULL,"
    "  media_type TEXT NOT NULL,"            /* the manifest's media type */
    "  os TEXT NOT NULL DEFAULT '', architecture TEXT NOT NULL DEFAULT '',"
    "  variant TEXT NOT NULL DEFAULT '', os_version TEXT NOT NULL DEFAULT '',"
    "  size INTEGER NOT NULL,"               /* config + compressed layers, bytes */
    "  created TEXT NOT NULL DEFAULT '',"    /* the config's \"created\" (RFC 3339), '' when absent */
    "  added INTEGER NOT NULL,"              /* unix seconds when this store committed it */
    "  index_digest TEXT"                    /* the index it was chosen from, or NULL */
    ");"
    "CREATE INDEX images_by_manifest ON images (manifest_digest);"
    "CREATE TABLE image_layers ("
    "  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"           /* 0 = base */
    "  digest TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL, diff_id TEXT NOT NULL,"
    "  PRIMARY KEY (image_id, position)"
    ");"
    "CREATE INDEX image_layers_by_digest ON image_layers (digest);"
    "CREATE TABLE tags ("
    "  repository TEXT NOT NULL,"            /* normalised: docker.io/library/busybox */
    "  tag TEXT NOT NULL,"
    "  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (repository, tag)"
    ");"
    "CREATE INDEX tags_by_image ON tags (image_id);"
    "CREATE TABLE repo_digests ("            /* so repo@sha256:<manifest> resolves */
    "  repository TEXT NOT NULL,"
    "  manifest_digest TEXT NOT NULL,"
    "  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (repository, manifest_digest)"
    ");"
    "CREATE INDEX repo_digests_by_image ON repo_digests (image_id);"
    "CREATE TABLE leases ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  purpose TEXT NOT NULL,"
    "  pid INTEGER NOT NULL,"                /* owner: the lease expires when it is gone */
    "  pid_start TEXT NOT NULL DEFAULT '',"  /* owner's start time, so a reused pid does not count */
    "  created INTEGER NOT NULL"
    ");"
    "CREATE TABLE lease_blobs ("
    "  lease_id INTEGER NOT NULL REFERENCES leases (id) ON DELETE CASCADE,"
    "  digest TEXT NOT NULL,"
    "  PRIMARY KEY (lease_id, digest)"
    ");"
    "CREATE INDEX lease_blobs_by_digest ON lease_blobs (digest);",
};

static const char *const container_steps[] = {
    /* 1: containers (container/model.c) and the exit codes of --rm containers their monitor
     *    already removed, kept for a moment so `berth run --rm` can still report them. */
    "CREATE TABLE containers ("
    " id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, image TEXT NOT NULL, image_id TEXT,"
    " spec TEXT NOT NULL, state TEXT NOT NULL, error TEXT,"
    " created TEXT NOT NULL, started TEXT, finished TEXT,"
    " pid INTEGER NOT NULL DEFAULT 0, shim_pid INTEGER NOT NULL DEFAULT 0,"
    " exit_code INTEGER NOT NULL DEFAULT 0, auto_remove INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX containers_state ON containers(state);"
    "CREATE TABLE container_exits (id TEXT PRIMARY KEY, exit_code INTEGER NOT NULL, finished TEXT NOT NULL);",
    /* 2: restart policies (container/restart.c): how often the monitor restarted the container
     *    since its last start, whether it is backing off before the next run, and whether the
     *    user stopped it (stop, kill, rm -f), which ends the restarts, as docker remembers. */
    "ALTER TABLE containers ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE containers ADD COLUMN restarting INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE containers ADD COLUMN manual_stop INTEGER NOT NULL DEFAULT 0;",
};

static const struct {
    const char *concern;
    const char *const *steps;
    int n;
} schemas[] = {
    { "store", store_steps, (int)(sizeof store_steps / sizeof store_steps[0]) },
    { "containers", container_steps, (int)(sizeof container_steps / sizeof container_steps[0]) },
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

static int migrate_one(sqlite3 *db, const char *concern, const char *const *steps, int want)
{
    sqlite3_stmt *st = NULL;
    int have = 0, rc;
    if (sqlite3_prepare_v2(db, "SELECT MAX(version) FROM schema_version WHERE concern = ?1", -1, &st, NULL) != SQLITE_OK)
        return berth_fail(BERTH_ERROR, "metadata: read schema_version: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, concern, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        have = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (have > want)
        return berth_fail(BERTH_EUNSUPPORTED, "metadata: the store was written by a newer Berth (%s schema %d; this one knows %d) — upgrade Berth",
                          concern, have, want);
    for (int v = have; v < want; v++) {
        /* IMMEDIATE: two processes opening a fresh store must not both run a step. */
        if ((rc = exec_sql(db, "BEGIN IMMEDIATE", "begin migration")) != 0)
            return rc;
        int done = 0;
        if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_version WHERE concern = ?1 AND version = ?2", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, concern, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 2, v + 1);
            if (sqlite3_step(st) == SQLITE_ROW)
                done = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        rc = done ? 0 : exec_sql(db, steps[v], "migrate");
        if (rc == 0 && !done) {
            char *sql = sqlite3_mprintf("INSERT INTO schema_version (concern, version) VALUES (%Q, %d)", concern, v + 1);
            rc = sql ? exec_sql(db, sql, "record migration") : berth_fail_oom();
            sqlite3_free(sql);
        }
        exec_sql(db, rc == 0 ? "COMMIT" : "ROLLBACK", "end migration");
        if (rc)
            return berth_wrap(rc, "migrate %s schema to version %d", concern, v + 1);
    }
    return 0;
}

static int migrate(sqlite3 *db)
{
    int rc = exec_sql(db, "CREATE TABLE IF NOT EXISTS schema_version (concern TEXT NOT NULL, version INTEGER NOT NULL, "
                          "PRIMARY KEY (concern, version));", "create schema_version");
    for (size_t i = 0; rc == 0 && i < sizeof schemas / sizeof schemas[0]; i++)
        rc = migrate_one(db, schemas[i].concern, schemas[i].steps, schemas[i].n);
    return rc;
}

/* Switching a new database to WAL needs it exclusively, and SQLite reports BUSY at once rather
 * than through the busy handler: when several processes open a fresh store together, retry. */
static int set_wal(sqlite3 *db)
{
    for (int waited_ms = 0;; waited_ms += 50) {
        int e = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (e == SQLITE_OK)
            return 0;
        if ((e != SQLITE_BUSY && e != SQLITE_LOCKED) || waited_ms >= 30000)
            return berth_fail(e == SQLITE_BUSY ? BERTH_EBUSY : BERTH_ERROR, "metadata: switch to WAL: %s%s",
                              sqlite3_errmsg(db), e == SQLITE_BUSY ? " (another process kept the store locked; retry)" : "");
        sqlite3_sleep(50);
    }
}

struct sqlite3 *store_meta_db(berth_t *b) { return b && b->meta ? b->meta->db : NULL; }

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
    if ((rc = set_wal(m->db)) != 0 ||
        (rc = exec_sql(m->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", "configure")) != 0)
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
