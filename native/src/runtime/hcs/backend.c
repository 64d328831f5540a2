/* The runtime_hcs table: plan is portable (a dry run works on any host); the rest is
 * ops_win32.c on Windows and ops_posix.c (a refusal that names the missing host) elsewhere. */
#include "runtime/hcs/doc.h"
#include "core/error.h"
#include "core/json.h"

/* The container layer hands over the unpacker's layer folders (<root>/layers/<chain>); HCS is
 * given their imported copies (<root>/hcs/layers/<chain>), so the plan shows those. */
static int hcs_plan(char **out_json, const runtime_spec *spec)
{
    json_object *plan = NULL;
    runtime_spec s;
    runtime_layer *mem = NULL;
    int rc = hcs_spec_imported(&s, &mem, spec);
    /* no --isolation: this host's default (Windows: by edition; elsewhere: Windows Server's) */
    if (rc == 0 && s.isolation == ISOLATION_DEFAULT)
        rc = platform_host_isolation(&s.isolation);
    if (rc == 0)
        rc = hcs_plan_object(&plan, &s, NULL);
    hcs_spec_imported_free(mem, spec->n_layers);
    if (rc)
        return rc;
    return json_hand_out(out_json, plan);
}

const runtime_backend runtime_hcs = {
    "hcs",
    hcs_plan,
    hcs_op_create,
    hcs_op_start,
    hcs_op_signal,
    hcs_op_remove,
    hcs_op_alive,
    hcs_op_exec,
    NULL,   /* wait_exit: waiters poll HcsEnumerateComputeSystems through alive */
};
