/* berth_container_boot: what docker's daemon does for restart policies when it starts, done by
 * a command run at boot (samples/systemd/berth-boot.service), since there is no daemon. */
#include "container/container.h"
#include "container/restart.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int berth_container_boot(char **out_json, berth_t *b)
{
    berth_error_clear();
    if (!out_json)
        return berth_fail(BERTH_EINVAL, "boot: out_json is NULL");
    *out_json = NULL;
    container_rec *rows = NULL;
    size_t n = 0;
    int rc = container_db_list(&rows, &n, b);
    if (rc)
        return berth_wrap(rc, "boot: list containers");
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        container_rec *r = &rows[i];
        /* a "running" row whose monitor died with the host becomes "exited" here first */
        if (container_reconcile(b, r) != 0) {
            berth_error_clear();
            continue;
        }
        /* only containers that ran before: a created one was never started (docker too) */
        if (strcmp(r->state, "exited") != 0 || !r->started)
            continue;
        restart_policy p = restart_policy_of_stored(r->spec, restart_policy_of_spec(NULL));   /* unreadable: "no" */
        if (!restart_at_boot(&p, r->exit_code, r->manual_stop, r->restart_count))
            continue;
        char text[64];
        restart_policy_format(text, sizeof text, &p);
        int src = berth_container_start(b, r->id);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_string(r->id));
        json_object_object_add(o, "name", json_object_new_string(r->name));
        json_object_object_add(o, "restart_policy", json_object_new_string(text));
        json_object_object_add(o, "started", json_object_new_boolean(src == 0));
        json_object_object_add(o, "error", src ? json_object_new_string(berth_errmsg()) : NULL);
        json_object_array_add(arr, o);
    }
    for (size_t i = 0; i < n; i++)
        container_rec_free(&rows[i]);
    free(rows);
    berth_error_clear();
    return json_hand_out(out_json, arr);
}
