/*
 * berth.h — the one public header of the Berth container engine.
 *
 * Conventions (see docs/api.md for every JSON shape):
 *  - Opaque handles: berth_t is one opened store root. A handle may be used from several
 *    threads; calls on one handle are serialised inside the library where they must be.
 *  - Every call returns 0 or a negative BERTH_E* code and, on failure, leaves a message for
 *    this thread in berth_errmsg(). Each call clears the message first.
 *  - Out-parameters come first. Data crosses as UTF-8 JSON strings; strings the library
 *    returns are owned by the caller and released with berth_free().
 *  - Knobs travel in versioned options structs: set .version to the *_VERSION macro (or use
 *    the *_INIT macro). New fields are only ever added at the end.
 *  - Long operations take a progress callback; a non-zero return cancels the operation,
 *    which then returns BERTH_ECANCELED and leaves nothing half written.
 *  - The library never aborts or exits the process.
 */
#ifndef BERTH_H
#define BERTH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(BERTH_BUILDING_DLL)
#  define BERTH_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(BERTH_STATIC)
#  define BERTH_API __declspec(dllimport)
#elif defined(__GNUC__)
#  define BERTH_API __attribute__((visibility("default")))
#else
#  define BERTH_API
#endif

/* Error codes: the few a caller acts on, plus the generic BERTH_ERROR. */
enum {
    BERTH_OK           = 0,
    BERTH_ERROR        = -1,  /* anything else; read berth_errmsg() */
    BERTH_ENOMEM       = -2,
    BERTH_ENOTFOUND    = -3,  /* image, container, blob, registry object does not exist */
    BERTH_EEXISTS      = -4,  /* name already taken */
    BERTH_EINVAL       = -5,  /* bad argument: reference, option, JSON */
    BERTH_EAUTH        = -6,  /* registry refused the credentials */
    BERTH_EDIGEST      = -7,  /* content did not hash to its digest */
    BERTH_EPLATFORM    = -8,  /* no image for this platform / isolation */
    BERTH_EBUSY        = -9,  /* locked by another process, or in use (image used by a container) */
    BERTH_ECANCELED    = -10, /* the progress callback asked to stop */
    BERTH_ENETWORK     = -11, /* connection, TLS, DNS, timeout after retries */
    BERTH_EUNSUPPORTED = -12, /* media type, schema1, feature not on this host */
    BERTH_ESTATE       = -13, /* container is in the wrong state for this operation */
    BERTH_EUNSAFE      = -14  /* hostile input refused (layer escapes its root, bomb) */
};

typedef struct berth berth_t;

/* ---- library, errors, memory ---------------------------------------------------- */

BERTH_API const char *berth_version(void);
/* This thread's message for its last failed call ("" when the last call succeeded). */
BERTH_API const char *berth_errmsg(void);
/* Code of this thread's last failed call (0 after a success). */
BERTH_API int berth_errcode(void);
/* Name of a code, e.g. "BERTH_ENOTFOUND". */
BERTH_API const char *berth_strerror(int code);
/* Frees anything the library handed out. NULL is fine. */
BERTH_API void berth_free(void *p);

/* ---- store ----------------------------------------------------------------------- */

/* Opens (creating if needed) the store at root. NULL root: $BERTH_ROOT, else the platform
 * default (/var/lib/berth on Linux, %ProgramData%\berth on Windows). */
BERTH_API int berth_open(berth_t **out, const char *root);
BERTH_API void berth_close(berth_t *b);
/* The absolute root the handle opened. Owned by the handle. */
BERTH_API const char *berth_root(const berth_t *b);

/* ---- progress -------------------------------------------------------------------- */

typedef struct {
    const char *phase;   /* "resolve", "download", "verify", "unpack", "commit", "exists", "done", "retry" ... */
    const char *id;      /* the object: a digest, a layer, a reference; may be NULL */
    uint64_t current;    /* bytes (or items) done */
    uint64_t total;      /* bytes (or items) expected; 0 when unknown */
    const char *message; /* human text for this event; may be NULL */
} berth_progress;

/* Return non-zero to cancel. Called on the thread that made the call. */
typedef int (*berth_progress_fn)(const berth_progress *p, void *payload);

/* ---- references and platforms (pure, no store needed) ------------------------------ */

/* Parses and normalises an image reference; out_json is a "reference" object (docs/api.md). */
BERTH_API int berth_reference_parse(char **out_json, const char *ref);
/* This host's platform as the pull will match it ("platform" object). */
BERTH_API int berth_platform_host(char **out_json);

/* ---- registries ------------------------------------------------------------------ */

/* Checks the credentials against the registry, then stores them (file mode 0600). */
BERTH_API int berth_login(berth_t *b, const char *registry, const char *username, const char *password);
BERTH_API int berth_logout(berth_t *b, const char *registry);

/* ---- images ---------------------------------------------------------------------- */

typedef struct {
    unsigned int version;
    const char *platform;        /* "os/arch[/variant][:os.version]"; NULL: this host */
    const char *isolation;       /* "process", "hyperv"; NULL: the host default (Windows only) */
    int allow_foreign_layers;    /* fetch non-distributable layers from their urls */
    int no_unpack;               /* store blobs only; do not unpack layers */
    int max_concurrent;          /* parallel blob downloads; 0: default (3) */
    berth_progress_fn progress;
    void *progress_payload;
} berth_pull_options;
#define BERTH_PULL_OPTIONS_VERSION 1
#define BERTH_PULL_OPTIONS_INIT { BERTH_PULL_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, NULL, NULL }

/* Pulls ref into the store; out_json is the "image" object. */
BERTH_API int berth_image_pull(char **out_json, berth_t *b, const char *ref, const berth_pull_options *opts);
/* out_json: array of "image" objects. filter_json: NULL or {"reference": "glob"}. */
BERTH_API int berth_image_list(char **out_json, berth_t *b, const char *filter_json);
/* name: a reference, an image id or a unique id prefix. out_json: "image_detail". */
BERTH_API int berth_image_inspect(char **out_json, berth_t *b, const char *name);
BERTH_API int berth_image_tag(berth_t *b, const char *source, const char *target);
/* Untags (and deletes when no tag is left). out_json: {"untagged": [...], "deleted": [...]} */
BERTH_API int berth_image_remove(char **out_json, berth_t *b, const char *name, int force);

typedef struct {
    unsigned int version;
    const char *format;          /* "docker-archive" (default) or "oci-layout" */
    berth_progress_fn progress;
    void *progress_payload;
} berth_archive_options;
#define BERTH_ARCHIVE_OPTIONS_VERSION 1
#define BERTH_ARCHIVE_OPTIONS_INIT { BERTH_ARCHIVE_OPTIONS_VERSION, NULL, NULL, NULL }

/* refs_json: array of references. path: a tar file (docker-archive, oci-layout as tar) or a
 * directory (oci-layout). */
BERTH_API int berth_image_save(berth_t *b, const char *refs_json, const char *path, const berth_archive_options *opts);
/* out_json: array of "image" objects loaded. */
BERTH_API int berth_image_load(char **out_json, berth_t *b, const char *path, const berth_archive_options *opts);

typedef struct {
    unsigned int version;
    berth_progress_fn progress;
    void *progress_payload;
} berth_push_options;
#define BERTH_PUSH_OPTIONS_VERSION 1
#define BERTH_PUSH_OPTIONS_INIT { BERTH_PUSH_OPTIONS_VERSION, NULL, NULL }

/* Pushes local image `name` to `ref` (NULL: to name itself). out_json: {"reference","digest"} */
BERTH_API int berth_image_push(char **out_json, berth_t *b, const char *name, const char *ref, const berth_push_options *opts);

/* ---- store maintenance ----------------------------------------------------------- */

/* Garbage collection. opts_json: NULL or {"all": bool (also untagged-but-unused images)}.
 * out_json: {"blobs_removed": n, "layers_removed": n, "bytes_freed": n, ...} */
BERTH_API int berth_prune(char **out_json, berth_t *b, const char *opts_json);
/* Consistency check; out_json is the "fsck" report. */
BERTH_API int berth_fsck(char **out_json, berth_t *b, int repair);

/* Applies one layer archive onto a plain directory exactly as the unpacker does (whiteouts by
 * removal). media_type NULL: detect from the stream. out_json: {"diff_id","entries","bytes"} */
BERTH_API int berth_layer_apply(char **out_json, const char *layer_path, const char *media_type, const char *dir);

/* Knobs for the layer calls below: the size policy (a refusal is BERTH_EUNSAFE naming the
 * entry), device nodes, progress ("unpack", bytes of compressed input). */
typedef struct {
    unsigned int version;
    const char *media_type;      /* NULL: detect from the stream's magic */
    uint64_t max_bytes;          /* uncompressed tar bytes; 0: 64 GiB */
    uint64_t max_entries;        /* 0: 10,000,000 */
    int allow_devices;           /* write device nodes from the layer (refused by default) */
    berth_progress_fn progress;
    void *progress_payload;
    /* berth_layer_unpack: folders of the layers below, nearest first; directories the layer
     * only implies take their owner, mode and times from there. NULL/0: none. */
    const char *const *lower_dirs;
    size_t n_lower_dirs;
} berth_layer_options;
#define BERTH_LAYER_OPTIONS_VERSION 1
#define BERTH_LAYER_OPTIONS_INIT { BERTH_LAYER_OPTIONS_VERSION, NULL, 0, 0, 0, NULL, NULL, NULL, 0 }

/* berth_layer_apply with options. layer_path "-": standard input. */
BERTH_API int berth_layer_apply_opts(char **out_json, const char *layer_path, const char *dir,
                                     const berth_layer_options *opts);
/* Unpacks one layer file into the store as a pull does: <root>/layers/<chain-hex>/ with
 * overlayfs whiteouts, committed only after the diff_id checks. diff_id: expected
 * "sha256:…" (NULL: take the stream's). parent_chain: chain id of the layer below (NULL: base).
 * out_json: {"chain_id","diff_id","digest","path","entries","bytes","existed","windows"} */
BERTH_API int berth_layer_unpack(char **out_json, berth_t *b, const char *layer_path, const char *diff_id,
                                 const char *parent_chain, const berth_layer_options *opts);
/* The OCI chain id of a layer over its parent: parent_chain NULL for the base layer.
 * out: "sha256:…" (berth_free). */
BERTH_API int berth_layer_chain_id(char **out, const char *parent_chain, const char *diff_id);

/* ---- containers ------------------------------------------------------------------ */

/* spec_json: the "container_create" object (image, name, cmd, env, mounts, limits ...).
 * out_json: the "container" object. */
BERTH_API int berth_container_create(char **out_json, berth_t *b, const char *spec_json);
/* Dry run: the runtime documents that create+start would use (OCI config.json, or the HCS
 * compute-system and process documents), without touching the store. */
BERTH_API int berth_container_plan(char **out_json, berth_t *b, const char *spec_json);
BERTH_API int berth_container_start(berth_t *b, const char *name);
/* Sends the stop signal, waits timeout_s (negative: the container's default), then kills. */
BERTH_API int berth_container_stop(berth_t *b, const char *name, int timeout_s);
BERTH_API int berth_container_kill(berth_t *b, const char *name, const char *signal);
/* Waits for exit; timeout_ms < 0 waits forever. */
BERTH_API int berth_container_wait(int *exit_code, berth_t *b, const char *name, int timeout_ms);
BERTH_API int berth_container_remove(berth_t *b, const char *name, int force);
/* filter_json: NULL or {"all": bool, "status": "...", "name": "glob", "label": "k=v"}. */
BERTH_API int berth_container_list(char **out_json, berth_t *b, const char *filter_json);
BERTH_API int berth_container_inspect(char **out_json, berth_t *b, const char *name);

/* Log lines: stream is "stdout" or "stderr", time is RFC 3339 with nanoseconds. */
typedef int (*berth_log_fn)(const char *stream, const char *time, const char *line, size_t len, void *payload);
typedef struct {
    unsigned int version;
    int follow;                  /* keep reading until the container exits */
    int64_t tail;                /* last N lines; < 0: all */
    const char *since;           /* RFC 3339 or NULL */
    berth_log_fn on_line;        /* non-zero return stops */
    void *payload;
} berth_log_options;
#define BERTH_LOG_OPTIONS_VERSION 1
#define BERTH_LOG_OPTIONS_INIT { BERTH_LOG_OPTIONS_VERSION, 0, -1, NULL, NULL, NULL }
BERTH_API int berth_container_logs(berth_t *b, const char *name, const berth_log_options *opts);

/* Runs a process in a running container. spec_json: {"cmd": [...], "env": [...], "workdir",
 * "user", "tty": bool}. The process uses the given file descriptors (-1: /dev/null).
 * exit_code receives its exit status. */
BERTH_API int berth_container_exec(int *exit_code, berth_t *b, const char *name, const char *spec_json,
                                   int stdin_fd, int stdout_fd, int stderr_fd);

/* After a boot (or after monitors were killed): starts every stopped container whose restart
 * policy says it should run again — "always" ones, "unless-stopped" ones the user did not stop,
 * "on-failure" ones that failed with retries left — as docker's daemon does when it starts.
 * out_json: an array of {"id", "name", "restart_policy", "started": bool, "error": text|null},
 * one per container it tried; a container that fails to start does not stop the others. */
BERTH_API int berth_container_boot(char **out_json, berth_t *b);

/* Changes a container's settings, running or not (docker update). update_json: {"restart_policy":
 * "no|on-failure[:N]|always|unless-stopped"} — the one setting that can change for now; a
 * running container's monitor uses the new policy at its next exit. out_json: the "container". */
BERTH_API int berth_container_update(char **out_json, berth_t *b, const char *name, const char *update_json);

/* ---- Windows containers: documents (any host) --------------------------------------- */

/* The HCS v2 documents for a Windows container described directly, without a store or a
 * Windows host: spec_json is {"layers": [folder, … base first], "args": [...], "isolation":
 * "process"|"hyperv", "id", "root", "env", "workdir", "user", "hostname", "mounts":
 * [{"source","destination","read_only","volume"}], "memory": bytes, "cpus": n, "network",
 * "ports": ["8080:80"], "tty", "stdin", "host_processors"}; out_json is the "hcs_plan" object
 * (compute_system, utility_vm, process, network, layers — docs/windows.md). */
BERTH_API int berth_hcs_plan(char **out_json, const char *spec_json);

#ifdef __cplusplus
}
#endif
#endif /* BERTH_H */
