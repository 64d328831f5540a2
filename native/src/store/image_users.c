/* store_image_users: whether a container still uses an image (every container counts, running
 * or stopped: its rootfs is built from the image's layers), their names written into `names`.
 * berth_image_remove then refuses (BERTH_EBUSY) without force, and with force only untags,
 * never deleting an image a container needs. Returns the number of users. */
#include "store/images.h"
#include "core/error.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int store_image_users(berth_t *b, const char *image_id, char *names, size_t len)
{
    if (names && len)
        names[0] = '\0';
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    if (!db || sqlite3_prepare_v2(db, "SELECT name FROM containers WHERE image_id = ?1 ORDER BY name", -1, &st, NULL) != SQLITE_OK)
        return berth_fail(BERTH_ERROR, "metadata: find containers of image %s: %s", image_id, db ? sqlite3_errmsg(db) : "store not open");
    sqlite3_bind_text(st, 1, image_id, -1, SQLITE_STATIC);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (names && len && name) {
            size_t used = strlen(names);
            snprintf(names + used, len - used, "%s%s", n ? ", " : "", name);
        }
        n++;
    }
    sqlite3_finalize(st);
    return n;
}
