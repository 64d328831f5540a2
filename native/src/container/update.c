/* berth_container_update (docker update): settings that can change on an existing container.
 * For now the restart policy, which the monitor reads again at each exit. */
#include "container/container.h"
#include "container/restart.h"
#include "container/view.h"
#include "core/error.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

int berth_container_update(char **out_json, berth_t *b, const char *name, const char *update_json)
{
    berth_error_clear();
    json_object *upd = NULL, *spec = NULL;
    container_rec r = { 0 };
    char *text = NULL;
    if (!out_json || !update_json)
        return berth_fail(BERTH_EINVAL, "update container: out_json and update_json are required");
    *out_json = NULL;
    int rc = json_parse_limited(&upd, update_json, strlen(update_json), "container update");
    if (rc == 0 && !json_object_is_type(upd, json_type_object))
        rc = berth_fail(BERTH_EINVAL, "container update: expected a JSON object such as {\"restart_policy\": \"always\"}");
    if (rc)
        goto out;
    json_object_object_foreach(upd, key, val) {
        (void)val;
        if (strcmp(key, "restart_policy") != 0) {
            rc = berth_fail(BERTH_EINVAL, "update container: \"%s\" cannot be changed — Berth updates restart_policy only; "
                            "create a new container for other settings", key);
            goto out;
        }
    }
    if ((rc = container_db_find(&r, b, name)) != 0 || (rc = container_reconcile(b, &r)) != 0)
        goto out;
    if ((rc = json_parse_limited(&spec, r.spec, strlen(r.spec), "stored container spec")) != 0)
        goto out;
    json_object *v;
    if (json_object_object_get_ex(upd, "restart_policy", &v) && (rc = restart_policy_apply(spec, v)) != 0) {
        rc = berth_wrap(rc, "update container %s", r.name);
        goto out;
    }
    if (!(text = json_dup_string(spec))) {
        rc = berth_fail_oom();
        goto out;
    }
    if ((rc = container_db_set_spec(b, r.id, text)) != 0)
        goto out;
    container_rec fresh = { 0 };
    if ((rc = container_db_get(&fresh, b, r.id)) == 0)
        rc = container_view_json(out_json, b, &fresh);
    container_rec_free(&fresh);
out:
    free(text);
    json_object_put(spec);
    json_object_put(upd);
    container_rec_free(&r);
    return rc;
}
