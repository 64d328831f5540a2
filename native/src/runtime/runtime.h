/* Runtime backends: one table of functions per way of running a container (curl's vtls table,
 * crun's custom handlers). runtime/oci runs Linux containers through runc; runtime/hcs runs
 * Windows containers through HCS v2. The container layer (container/) builds a runtime_spec
 * from the image config plus the user's overrides and hands it to the backend chosen for the
 * image's os; it never calls runc or computecore itself.
 *
 * Lifecycle: plan (documents only, no side effects: `berth create --dry-run`) → create (rootfs /
 * scratch, bundle) → start (under berth-shim) → signal / wait → delete (undo everything create
 * did). Every step is idempotent enough to be retried after a crash. */
#ifndef BERTH_RUNTIME_H
#define BERTH_RUNTIME_H
#include "berth.h"
#include "platform/platform.h"
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *source;       /* host path (bind) or volume name */
    const char *destination;  /* path in the container */
    int read_only;
    int is_volume;            /* named volume under <root>/volumes/<name> */
} runtime_mount;

typedef struct {
    const char *path;         /* unpacked layer folder: <root>/layers/<chain-hex> */
    const char *chain_id;     /* "sha256:…" */
} runtime_layer;

/* Everything a backend needs to create one container. Strings are borrowed. */
typedef struct {
    const char *id;           /* 64-hex container id */
    const char *name;
    const char *bundle_dir;   /* <root>/containers/<id>: backend-owned files live here */
    berth_platform platform;  /* the image's platform */
    berth_isolation isolation;
    const runtime_layer *layers;  /* base first */
    size_t n_layers;
    const char *const *args;  /* entrypoint + cmd, resolved */
    size_t n_args;
    const char *const *env;   /* "K=V" */
    size_t n_env;
    const char *workdir;
    const char *user;         /* "uid[:gid]" or a name */
    const char *hostname;
    const runtime_mount *mounts;
    size_t n_mounts;
    int read_only_rootfs;
    int tty;
    int open_stdin;
    int64_t memory_bytes;     /* 0: no limit */
    int64_t cpu_millis;       /* 1000 = one CPU; 0: no limit */
    const char *network;      /* "none", "host", "bridge"/"nat", or NULL for the default */
    const char *const *ports; /* "8080:80[/tcp]" */
    size_t n_ports;
    const char *stop_signal;  /* "SIGTERM" by default */
    /* Linux security (runtime/oci/security.h, container/security.c). */
    const char *const *caps;  /* effective capabilities ("CAP_X"); NULL: docker's default set */
    size_t n_caps;
    int privileged;           /* all devices, no masked or read-only paths, /sys writable */
    int no_new_privileges;
    int unmask_paths;         /* systempaths=unconfined: no masked / read-only /proc and /sys paths */
    const char *seccomp;      /* NULL or "default": Berth's profile; "unconfined"; else an OCI linux.seccomp JSON text */
    const char *apparmor;     /* AppArmor profile for process.apparmorProfile; NULL or "unconfined": none */
    /* Per mount (NULL: none): 1 for a volume (named or anonymous) filled from the image's files
     * at its destination while it is empty, like docker (not with :nocopy). */
    const unsigned char *mount_copy;
} runtime_spec;

typedef struct runtime_backend {
    const char *name;         /* "oci", "hcs" */
    /* The documents create+start would use, as JSON (config.json; or HCS compute-system and
     * process documents). No side effects. */
    int (*plan)(char **out_json, const runtime_spec *spec);
    int (*create)(berth_t *b, const runtime_spec *spec);
    /* Starts the container under a detached monitor; returns once the process runs. */
    int (*start)(berth_t *b, const runtime_spec *spec);
    int (*signal)(berth_t *b, const char *id, int signo);
    /* Undo create: unmount, remove bundle, cgroups, network. Must succeed on a half-created one. */
    int (*remove)(berth_t *b, const char *id);
    /* Whether the container's init process still exists (for reconciling stale state). */
    int (*alive)(berth_t *b, const char *id, int *alive_out);
    /* Runs proc (args, env, workdir, user, tty of the spec; the container's layers for user
     * lookup) inside the running container id with the given stdio (-1: /dev/null).
     * *exit_code gets its status (126/127 when it could not be executed / found). NULL: the
     * backend cannot exec. (Added by the runc work; table initialisers that stop earlier
     * leave it NULL.) */
    int (*exec)(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc, int in, int out, int err);
    /* Blocks until the container's monitor has recorded its exit (or is gone), without
     * polling. NULL: the backend cannot, and waiters poll alive. */
    int (*wait_exit)(berth_t *b, const char *id);
} runtime_backend;

/* The backend for an os ("linux" → oci, "windows" → hcs), or NULL with a message naming the os. */
const runtime_backend *runtime_for_os(const char *os);

extern const runtime_backend runtime_oci;  /* runtime/oci (POSIX builds) */
extern const runtime_backend runtime_hcs;  /* runtime/hcs */

#endif
