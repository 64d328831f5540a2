/* Windows containers need a Windows host: everything but the plan refuses here, saying so. */
#include "runtime/hcs/hcs.h"
#include "core/error.h"

static int refuse(const char *what, const char *id)
{
    return berth_fail(BERTH_EUNSUPPORTED, "%s Windows container %s: Windows containers run only on "
                      "a Windows host with the Containers feature; here, use `berth create --dry-run` "
                      "to see the HCS documents", what, id ? id : "");
}

int hcs_op_create(berth_t *b, const runtime_spec *spec) { (void)b; return refuse("create", spec ? spec->id : NULL); }
int hcs_op_start(berth_t *b, const runtime_spec *spec) { (void)b; return refuse("start", spec ? spec->id : NULL); }
int hcs_op_signal(berth_t *b, const char *id, int signo) { (void)b; (void)signo; return refuse("signal", id); }
int hcs_op_remove(berth_t *b, const char *id) { (void)b; return refuse("remove", id); }

int hcs_op_exec(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc, int in, int out, int err)
{
    (void)b; (void)proc; (void)in; (void)out; (void)err;
    *exit_code = -1;
    return refuse("exec in", id);
}

int hcs_op_alive(berth_t *b, const char *id, int *alive_out)
{
    (void)b;
    (void)id;
    *alive_out = 0;   /* nothing of it can run here */
    return 0;
}
