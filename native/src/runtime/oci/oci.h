/* runtime/oci: Linux containers through runc (the Debian package), under berth-shim.
 *
 * Bundle of one container, <root>/containers/<id>/:
 *   config.json   the OCI runtime spec (written by create; oci_config_build)
 *   runtime.json  what the shim needs to set up around runc: overlay lowerdirs, network, tty
 *   upper/ work/  the container's writable overlay layer; rootfs/ is where the shim mounts it
 *   hosts hostname resolv.conf   bind-mounted into the container like docker does
 *   log.json      stdout/stderr as JSON lines ({"log","stream","time"}, docker's json-file)
 *   shim.lock     held (flock) by the shim for its whole life: free lock = no monitor
 *   op.lock       held by a process starting or removing the container
 * runc keeps its own state under <root>/runc (one runc --root per Berth store).
 *
 * Lifecycle: create (files only) → shim: mount overlay, network up, runc create, runc start,
 * copy output to the log, reap, runc delete, network down, unmount → remove (undo it all; safe
 * on a half-created or crashed container). */
#ifndef BERTH_RUNTIME_OCI_H
#define BERTH_RUNTIME_OCI_H
#include "runtime/runtime.h"
#include <json-c/json.h>
#include <stdint.h>
#include <sys/types.h>

/* A user resolved against the image's /etc/passwd and /etc/group. */
typedef struct {
    uint32_t uid, gid;
    uint32_t extra_gids[32];
    size_t n_extra;
    char home[256];           /* for HOME when the image sets none */
} oci_user;

/* Host-side paths the config refers to; NULL members are left out. */
typedef struct {
    const char *rootfs;       /* "rootfs" (relative to the bundle) */
    const char *netns;        /* /run/berth/netns/<id> for bridge networking, else NULL */
    const char *cgroups_path; /* "/berth/<id>" */
    const char *hosts, *hostname_file, *resolv_conf;  /* files in the bundle to bind-mount */
    const char *volumes_dir;  /* <root>/volumes: named volumes live in <volumes_dir>/<name>/_data */
    json_object *devices;     /* privileged: the host's device nodes (oci_host_devices), else NULL */
} oci_paths;

/* The host's device nodes under /dev as OCI linux.devices entries (a privileged container gets
 * them all, like docker); pseudo-terminals, shm and mqueue are left to the container's own. */
json_object *oci_host_devices(void);

/* Builds the OCI config.json for spec with docker's defaults (namespaces, capabilities,
 * masked and read-only paths, mounts). Pure: no file system access. */
int oci_config_build(json_object **out, const runtime_spec *spec, const oci_user *user, const oci_paths *paths);

/* Just the "process" object (runc exec --process). */
json_object *oci_process_json(const runtime_spec *spec, const oci_user *user);
/* runtime_backend.exec for runc. */
int oci_exec(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc, int in, int out, int err);

/* Resolves "name|uid[:group|gid]" against the image (the topmost layer that has the file wins;
 * a whiteout hides it). NULL or "" is root. BERTH_EINVAL names the user when it is unknown. */
int oci_user_resolve(oci_user *out, const char *user, const runtime_layer *layers, size_t n_layers);
/* Same, reading passwd and group text directly (unit tests, and the resolver itself). */
int oci_user_resolve_text(oci_user *out, const char *user, const char *passwd, const char *group);

/* Paths in the bundle: malloc'ed <root>/containers/<id>[/<name>]. */
char *oci_bundle_path(berth_t *b, const char *id, const char *name);
/* "runc --root <root>/runc" followed by args (NULL-terminated) as a malloc'ed argv. */
char **oci_runc_argv(berth_t *b, const char *const *args);
void oci_argv_free(char **argv);

/* Runs argv with the given stdio (-1: /dev/null), waits, returns its exit status (128+signal
 * when killed) in *status. When err_out is non-NULL and errfd is -1, stderr is captured
 * (at most 16 KiB) into *err_out. */
int oci_run(int *status, char *const *argv, int infd, int outfd, int errfd, char **err_out);

/* Fills the empty volume folder volume_dir with the files at dest (a folder in the container)
 * of the mounted root file system rootfs; nothing when the volume has content or the image has
 * nothing there (runtime/oci/volume_seed.c). */
int oci_volume_seed(const char *rootfs, const char *dest, const char *volume_dir);

/* The shim's side of the lifecycle. */
int oci_rootfs_mount(berth_t *b, const char *id);     /* overlay of lowerdirs + upper/work */
int oci_rootfs_unmount(berth_t *b, const char *id);   /* a missing mount is success */
int oci_network_up(berth_t *b, const char *id);       /* bridge: netns + CNI ADD; else nothing */
int oci_network_down(berth_t *b, const char *id);     /* CNI DEL + netns removal; idempotent */
/* Checks "[ip:]host:container[/tcp|udp]" of every published port (BERTH_EINVAL names it). */
int oci_ports_check(const runtime_spec *spec);
/* Whether the runtime.json of id asks for a tty / an open stdin. */
int oci_runtime_flags(berth_t *b, const char *id, int *tty_out, int *open_stdin_out);

/* Maps a runc failure text to docker's exit codes: 127 (command not found), 126 (cannot be
 * executed), else 125. */
int oci_exec_failure_code(const char *runc_message);

#endif
