/* container/: the container model (SQLite rows), the spec built from the image config plus the
 * user's overrides, and the lifecycle behind the public berth_container_* calls.
 *
 * Lifecycle of a row: create (state "created", the resolved spec stored as JSON, the backend's
 * files written) → start (the backend starts its monitor, which records "running", pid and
 * start time) → the monitor records "exited", exit code and finish time → remove (backend undo,
 * row deleted; an --rm container is removed by its monitor, which leaves the exit code in
 * container_exits for a waiter). A "running" row whose monitor is gone is reconciled to
 * "exited" (code 255, with the reason) by the next command that reads it. With a restart
 * policy (restart.h) the monitor runs the container again after an exit: the row stays
 * "running" with restarting = 1 while it backs off (shown as docker's "restarting"), and
 * restart_count counts the runs; a stop by the user (manual_stop) ends that. */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H
#include "berth.h"
#include "runtime/runtime.h"
#include <json-c/json.h>
#include <stdint.h>

typedef struct {
    char id[65];
    char *name, *image, *image_id;
    char *spec;               /* the resolved spec (JSON): what start hands the backend */
    char *state;              /* "created", "running", "exited" (a back-off is "running" + restarting) */
    char *error;              /* why the last start failed or the monitor vanished; NULL */
    char *created, *started, *finished;   /* RFC 3339 UTC; NULL when not yet */
    int64_t pid, shim_pid;
    int exit_code;
    int auto_remove;
    int restart_count;        /* restarts by the monitor since the last start (restart policy) */
    int restarting;           /* state "running", but backing off before the next run */
    int manual_stop;          /* stopped, killed or removed by the user since the last start */
} container_rec;

void container_rec_free(container_rec *r);

/* ---- rows (model.c) ---- */
int container_db_insert(berth_t *b, const container_rec *r);   /* BERTH_EEXISTS: name taken */
/* By exact name, exact id, or unique id prefix. BERTH_ENOTFOUND / BERTH_EINVAL (ambiguous). */
int container_db_find(container_rec *out, berth_t *b, const char *name_or_id);
int container_db_get(container_rec *out, berth_t *b, const char *id);  /* exact id only */
int container_db_list(container_rec **out, size_t *n_out, berth_t *b);
int container_db_set_running(berth_t *b, const char *id, int64_t pid, int64_t shim_pid);
/* from_state NULL: any. Returns 0 and changes nothing when the row is in another state. */
int container_db_set_exited(berth_t *b, const char *id, const char *from_state, int exit_code, const char *error);
/* The monitor's run ended and it will restart it after a back-off: the row stays "running"
 * (the monitor lives on), with the exit code, the finish time and the new restart count. */
int container_db_set_restarting(berth_t *b, const char *id, int exit_code, int restart_count);
/* stopped 1: the user stopped the container (written before the signal, read by the monitor
 * after the exit, so no restart undoes it). 0: a start clears it and the restart count. */
int container_db_set_manual_stop(berth_t *b, const char *id, int stopped);
int container_db_manual_stop(berth_t *b, const char *id);     /* 1 also when the row is gone */
int container_db_set_spec(berth_t *b, const char *id, const char *spec);   /* berth_container_update */
/* A start that failed: the row stays "created" with the exit code docker would use. */
int container_db_set_start_failed(berth_t *b, const char *id, int exit_code, const char *error);
/* Deletes the row; exit_code >= 0 is kept in container_exits for berth_container_wait. */
int container_db_delete(berth_t *b, const char *id, int exit_code);
int container_db_removed_exit(int *exit_code, berth_t *b, const char *id);  /* BERTH_ENOTFOUND */

/* ---- helpers ---- */
void container_now(char *buf, size_t len);                   /* RFC 3339 with nanoseconds, UTC */
int container_new_id(char out[65]);
int container_new_name(char *out, size_t len, unsigned attempt);
int container_name_valid(const char *name);
int container_signal_number(const char *name);               /* "SIGTERM", "TERM", "15" → 15; -1 */

/* ---- spec (spec.c) ---- */
/* Builds the resolved spec from the create request and the image (berth_image_inspect, or a
 * "rootfs" folder given directly). *out is a JSON object the caller releases. */
int container_spec_resolve(json_object **out, berth_t *b, json_object *request);

/* A runtime_spec pointing into spec (borrowed); arrays are freed by container_rt_free. */
typedef struct {
    runtime_spec rs;
    const char **args, **env, **ports;
    runtime_mount *mounts;
    runtime_layer *layers;
    char *bundle;
    const char **caps;        /* the security capabilities (borrowed strings) */
    unsigned char *mount_copy;
} container_rt;
int container_rt_build(container_rt *out, berth_t *b, const char *id, const char *name, json_object *spec);
void container_rt_free(container_rt *rt);

/* The backend for a resolved spec's platform. */
const runtime_backend *container_backend(json_object *spec);

/* ---- lifecycle shared with the monitor ---- */
/* Brings a "running" row whose monitor is gone to "exited" (cleaning the runtime's leftovers). */
int container_reconcile(berth_t *b, container_rec *r);
/* Removes the backend state and the row (the monitor of an --rm container calls this). */
int container_remove_all(berth_t *b, const container_rec *r, int exit_code_for_waiters);

/* ---- security (container/security.c) ---- */
/* Adds the "security" object (capabilities, seccomp, AppArmor, no-new-privileges) of req to a
 * resolved spec whose "os" is set; BERTH_EINVAL names a bad option or profile. */
int container_security_resolve(json_object *spec, json_object *req);

#endif
