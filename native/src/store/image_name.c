/* Turning what a user typed into an image id: a reference (through tags or repository
 * digests), a full id, or a unique prefix of one. */
#include "store/images.h"
#include "store/sql.h"
#include "reference/reference.h"
#include "core/buf.h"
#include "core/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_MIN 4

void image_name_clear(image_name *n)
{
    if (!n)
        return;
    free(n->repository);
    free(n->tag);
    free(n->digest);
    memset(n, 0, sizeof *n);
}

static int is_hex(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789abcdef") == n;
}

/* First column of the first row of sql bound with up to two texts, into out; 1 if found. */
static int lookup(char *out, size_t len, sqlite3 *db, const char *sql, const char *a, const char *b, int *rc)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if ((*rc = sql_prepare(&st, db, sql, "find image")) != 0)
        return 0;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        snprintf(out, len, "%s", sql_text(st, 0));
        found = 1;
    } else if (s != SQLITE_DONE) {
        *rc = sql_fail(db, "find image");
    }
    sqlite3_finalize(st);
    return found;
}

/* Ids starting with sha256:<prefix>: exactly one, or an error naming the candidates. */
static int by_prefix(image_name *out, sqlite3 *db, const char *name, const char *prefix)
{
    sqlite3_stmt *st = NULL;
    berth_buf list = BERTH_BUF_INIT(1024);
    int rc = sql_prepare(&st, db, "SELECT i.id, (SELECT group_concat(repository || ':' || tag, ', ') FROM tags t "
                                  "WHERE t.image_id = i.id) FROM images i WHERE substr(i.id, 8, ?2) = ?1 ORDER BY i.id",
                         "find image by id prefix");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)strlen(prefix));
    int n = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            snprintf(out->id, sizeof out->id, "%s", sql_text(st, 0));
        const char *tags = sql_text(st, 1);
        buf_printf(&list, "%s%s%s%s%s", n > 1 ? "; " : "", sql_text(st, 0), *tags ? " (" : "", tags, *tags ? ")" : "");
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(db, "find image by id prefix");
    else if (n == 0)
        rc = berth_fail(BERTH_ENOTFOUND, "no image \"%s\" in the store; list them with `berth images`", name);
    else if (n > 1)
        rc = berth_fail(BERTH_EINVAL, "image id prefix \"%s\" is ambiguous: %d images match (%s); give more digits",
                        name, n, list.data ? list.data : "");
    sqlite3_finalize(st);
    buf_free(&list);
    out->kind = IMAGE_BY_ID;
    return rc;
}

static int by_reference(image_name *out, sqlite3 *db, const berth_ref *r, int *found)
{
    int rc = 0;
    char *repo = reference_repository(r);
    if (!repo)
        return BERTH_ENOMEM;
    if (r->digest)
        *found = lookup(out->id, sizeof out->id, db, "SELECT image_id FROM repo_digests WHERE repository = ?1 AND "
                        "manifest_digest = ?2", repo, r->digest, &rc);
    else
        *found = lookup(out->id, sizeof out->id, db, "SELECT image_id FROM tags WHERE repository = ?1 AND tag = ?2",
                        repo, r->tag, &rc);
    if (rc == 0 && *found) {
        out->kind = r->digest ? IMAGE_BY_DIGEST : IMAGE_BY_TAG;
        out->repository = repo;
        repo = NULL;
        if (r->digest && !(out->digest = strdup(r->digest)))
            rc = berth_fail_oom();
        if (!r->digest && !(out->tag = strdup(r->tag)))
            rc = berth_fail_oom();
    }
    free(repo);
    return rc;
}

int image_name_resolve(image_name *out, sqlite3 *db, const char *name)
{
    memset(out, 0, sizeof *out);
    if (!name || !*name)
        return berth_fail(BERTH_EINVAL, "no image named: give a reference (busybox:latest), an image id or an id prefix");
    int rc = 0;
    const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : NULL;
    if (hex || is_hex(name, 64, 64)) {
        const char *h = hex ? hex : name;
        if (is_hex(h, 64, 64)) {
            char id[DIGEST_TEXT_MAX];
            snprintf(id, sizeof id, "sha256:%s", h);
            out->kind = IMAGE_BY_ID;
            if (lookup(out->id, sizeof out->id, db, "SELECT id FROM images WHERE id = ?1", id, NULL, &rc))
                return 0;
            return rc ? rc : berth_fail(BERTH_ENOTFOUND, "no image with id %s in the store; list them with `berth images`", id);
        }
        if (hex && is_hex(hex, PREFIX_MIN, 63))
            return by_prefix(out, db, name, hex);
        if (hex)
            return berth_fail(BERTH_EINVAL, "image id \"%s\": expected sha256: and at least %d lowercase hex digits",
                              name, PREFIX_MIN);
    }
    berth_ref r;
    int parse_rc = reference_parse(&r, name);
    if (parse_rc == 0) {
        int found = 0;
        rc = by_reference(out, db, &r, &found);
        reference_clear(&r);
        if (rc || found)
            return rc;
    }
    if (is_hex(name, PREFIX_MIN, 63)) {
        rc = by_prefix(out, db, name, name);
        if (rc == 0)
            berth_error_clear(); /* found: the reference's complaint no longer applies */
        return rc;
    }
    if (parse_rc)
        return parse_rc;
    return berth_fail(BERTH_ENOTFOUND, "no image \"%s\" in the store; pull it with `berth pull %s`, or list the "
                      "images with `berth images`", name, name);
}
