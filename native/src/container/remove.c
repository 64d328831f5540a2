/* Removing a stopped container: its runtime remains, then its row. Apart from lifecycle.c
 * because berth-shim removes --rm containers with it: lifecycle.c needs the image store and
 * the layer code (spec resolution), which would link libarchive and libcrypto into the
 * monitor and cost every container start ~2-3 ms of dynamic loading. */
#include "container/container.h"
#include "core/error.h"
#include "core/json.h"
#include <string.h>

int container_remove_all(berth_t *b, const container_rec *r, int exit_code)
{
    json_object *spec = NULL;
    int rc = json_parse_limited(&spec, r->spec, strlen(r->spec), "stored container spec");
    const runtime_backend *be = rc == 0 ? container_backend(spec) : NULL;
    json_object_put(spec);
    if (rc == 0 && !be)
        rc = BERTH_EPLATFORM;
    if (rc == 0)
        rc = be->remove(b, r->id);
    if (rc == 0)
        rc = container_db_delete(b, r->id, exit_code);
    return rc;
}
