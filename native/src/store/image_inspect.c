/* berth_image_inspect: the "image" object plus the parsed config and manifest ("image_detail"). */
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/json.h"
#include <stdlib.h>

#define DOC_MAX (8u << 20)

/* Parses a small blob of the content store into a JSON value. */
static int blob_json(json_object **out, berth_t *b, const char *digest_text, const char *what)
{
    berth_digest d;
    char *data = NULL;
    size_t len = 0;
    int rc = digest_parse(&d, digest_text);
    if (rc == 0)
        rc = store_blob_read(&data, &len, b, &d, DOC_MAX);
    if (rc == BERTH_ENOTFOUND)
        rc = berth_fail(BERTH_ENOTFOUND, "the %s blob %s is missing from the content store; run `berth fsck` and pull "
                        "the image again", what, digest_text);
    if (rc == 0)
        rc = json_parse_limited(out, data, len, what);
    free(data);
    return rc;
}

int berth_image_inspect(char **out_json, berth_t *b, const char *name)
{
    berth_error_clear();
    if (!out_json || !b)
        return berth_fail(BERTH_EINVAL, "berth_image_inspect: NULL argument");
    *out_json = NULL;
    sqlite3 *db = store_meta_db(b);
    image_name n;
    json_object *o = NULL, *doc = NULL;
    int rc = sql_tx_begin(db, 0);
    if (rc)
        return rc;
    rc = image_name_resolve(&n, db, name);
    if (rc == 0)
        rc = image_to_json(&o, db, n.id);
    rc = sql_tx_end(db, rc);
    if (rc == 0 && (rc = blob_json(&doc, b, n.id, "image config")) == 0)
        json_object_object_add(o, "config", doc);
    if (rc == 0 && (rc = blob_json(&doc, b, json_str(o, "manifest_digest"), "image manifest")) == 0)
        json_object_object_add(o, "manifest", doc);
    image_name_clear(&n);
    if (rc == 0)
        return json_hand_out(out_json, o);
    json_object_put(o);
    return berth_wrap(rc, "inspect image %s", name ? name : "");
}
