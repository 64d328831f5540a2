/* berth_image_tag: gives an image another name, like `docker tag SOURCE TARGET`. A target
 * that names another image already is moved, in one transaction. */
#include "store/images.h"
#include "store/sql.h"
#include "reference/reference.h"
#include "core/error.h"
#include <stdlib.h>

int berth_image_tag(berth_t *b, const char *source, const char *target)
{
    berth_error_clear();
    if (!b || !source || !target)
        return berth_fail(BERTH_EINVAL, "berth_image_tag: NULL argument");
    berth_ref r;
    int rc = reference_parse(&r, target);
    if (rc)
        return berth_wrap(rc, "tag %s", source);
    if (r.digest) {
        reference_clear(&r);
        return berth_fail(BERTH_EINVAL, "tag %s as %s: a tag cannot carry a digest; give repository[:tag]", source, target);
    }
    char *repo = reference_repository(&r);
    sqlite3 *db = store_meta_db(b);
    image_name n = { 0 };
    rc = repo ? sql_tx_begin(db, 1) : BERTH_ENOMEM;
    if (rc == 0) {
        rc = image_name_resolve(&n, db, source);
        if (rc == 0)
            rc = store_tag_set(db, repo, r.tag, n.id);
        rc = sql_tx_end(db, rc);
    }
    image_name_clear(&n);
    free(repo);
    reference_clear(&r);
    return rc ? berth_wrap(rc, "tag %s as %s", source, target) : 0;
}
