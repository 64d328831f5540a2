/* runtime/hcs: Windows containers through the Host Compute Service (HCS v2).
 *
 * Lifecycle, as Microsoft's own tooling (hcsshim) drives it:
 *   plan    runtime_spec → the JSON documents below, portable C, no side effects (dry run on any host)
 *   create  import staged layers (HcsImportLayer), make the writable scratch layer
 *           (HcsInitializeWritableLayer), attach it (HcsAttachLayerStorageFilter), create the HNS
 *           endpoint/namespace, write the documents into the bundle
 *   start   berth-shim.exe creates and starts the compute system and the init process and keeps
 *           the handle (ShouldTerminateOnLastHandleClosed), owning the std pipes
 *   signal  HcsShutDownComputeSystem (graceful), then HcsTerminateComputeSystem
 *   remove  terminate if needed, detach the scratch filter, delete the HNS objects, remove the bundle
 *
 * The document builders (doc.c), the GUIDs (guid.c), the command-line escaping (cmdline.c) and
 * the host-facts decisions (hostfacts.c) are portable and unit-tested on Linux. The calls into
 * computecore/computestorage/computenetwork live in *_win32.c, which include only Windows
 * headers and the json-c-free headers of this folder (hcs.h, hostfacts.h), so that mingw-w64
 * compiles them without json-c or curl headers. */
#ifndef BERTH_RUNTIME_HCS_H
#define BERTH_RUNTIME_HCS_H
#include "runtime/runtime.h"
#include <stddef.h>
#include <stdint.h>

#define HCS_GUID_LEN 36   /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */

/* RFC 4122 version 5 (SHA-1, name-based) GUID of name under ns (16 bytes, network order),
 * written as lower-case text into out[HCS_GUID_LEN + 1]. */
int hcs_guid_v5(char *out, const unsigned char ns[16], const void *name, size_t len);
/* The GUID of a layer folder: a v5 GUID of the folder's last path element (as hcsshim's
 * LayerID does: only the base name counts). On Windows the backend asks vmcompute.dll's
 * NameToGuid instead, when present (see hcs_layer_id_win32), because HCS's namespace is not
 * published; this portable one is what dry runs on other hosts show. */
int hcs_layer_id(char *out, const char *folder);
/* A stable GUID for one of a container's objects ("namespace", "endpoint", "uvm"): a v5 GUID
 * of "<kind>/<container id>", so the plan and create name the same HNS objects. */
int hcs_derived_id(char *out, const char *kind, const char *container_id);
/* Parses "xxxxxxxx-xxxx-…" (braces allowed) into 16 bytes in network order. */
int hcs_guid_parse(unsigned char out[16], const char *s);

/* One argument escaped by the Windows rules (CommandLineToArgvW / the C runtime): quoted when
 * it is empty or holds a space or tab; a quote becomes \" and the backslashes before a quote,
 * or before the closing quote, are doubled. The same output as Go's windows.EscapeArg. */
int hcs_escape_arg(char **out, const char *arg);
/* Every argument escaped, joined by single spaces: ProcessParameters.CommandLine. */
int hcs_command_line(char **out, const char *const *args, size_t n);

/* The documents for one container, serialised (plan output and what create/start send). */
typedef struct {
    char *compute_system;   /* HcsCreateComputeSystem (process: the container; hyperv: hosted container) */
    char *utility_vm;       /* hyperv only: the utility VM's compute system, created first; else NULL */
    char *process;          /* HcsCreateProcess: the init process */
    char *network_endpoint; /* HcnCreateEndpoint settings, NULL without networking */
    char *network_namespace;/* HcnCreateNamespace settings, NULL without networking */
    char *namespace_add_endpoint; /* HcnModifyNamespace request attaching the endpoint */
    char *layer_ids;        /* JSON array of {"Id","Path"} newest first (for import/attach) */
} hcs_docs;

/* What only the host knows; a dry run leaves it zeroed and gets stand-ins that say so. */
typedef struct {
    const char *owner;            /* NULL: "berth" */
    const char *scratch_volume;   /* "\\?\Volume{…}\" once the scratch is attached; NULL: the folder */
    const char *const *layer_ids; /* NULL: hcs_layer_id() of each folder; else one per spec layer, base first */
    const char *network_id;       /* the NAT network's GUID (HcnEnumerateNetworks); NULL: omitted */
    int host_processors;          /* clamp CPU counts to this (hcsshim does); 0: no clamp */
} hcs_docs_options;

/* Builds every document for spec. The ids of the network objects are derived from the
 * container id, so create and the plan agree. Portable; no side effects. */
int hcs_docs_build(hcs_docs *out, const runtime_spec *spec, const hcs_docs_options *opts);
void hcs_docs_free(hcs_docs *d);
/* The HcsCreateProcess document for an exec: the args, env, workdir, user and tty of proc
 * (CreateStdInPipe when proc->open_stdin). */
int hcs_process_doc(char **out, const runtime_spec *proc);
/* The HNS network a spec joins ("nat" by default), NULL for --network none (or refused ones). */
const char *hcs_network_name(const runtime_spec *spec);

/* Files the backend keeps in the bundle (<root>\containers\<id>). */
#define HCS_DOCS_DIR "hcs"                 /* compute_system.json, process.json, utility_vm.json, … */
#define HCS_LOG_FILE "log.json"            /* JSON lines written by berth-shim.exe (as the POSIX shim) */
#define HCS_EXIT_FILE "exit.json"          /* {"exit_code": n, "finished_at": "…"} */
#define HCS_SHIM_FILE "shim.json"          /* {"pid": n} of the monitor */

/* ---- what HCS/HNS answer, and the small documents the Windows calls take (result.c) ---- */

/* The message of an HCS/HNS result or error-record document ("ErrorMessage", "Error",
 * "ErrorEvents[].Message"); 1 when there was one, 0 when json is empty. */
int hcs_result_message(char *out, size_t len, const char *json);

typedef struct {
    char id[128], owner[64], state[32], system_type[32];
} hcs_system_info;
/* HcsEnumerateComputeSystems' answer; *out is freed with free(). */
int hcs_enum_parse(hcs_system_info **out, size_t *n_out, const char *json);
/* computestorage LayerData: {"SchemaVersion": 2.1, "Layers": [{"Id","Path"}…]} (newest first). */
int hcs_layer_data(char **out, const char *const *ids, const char *const *paths, size_t n);
/* The HcnEnumerateNetworks query for the network called name. */
int hcn_network_query(char **out, const char *name);
/* The first id of an HNS enumeration answer (a list of GUID strings or of {"ID"} objects). */
int hcn_first_id(char *out, const char *json, const char *what);

/* The BERTH_E* code for an HRESULT from HCS/HNS/storage (not found, exists, wrong state, …). */
int hcs_hresult_code(uint32_t hr);
/* HcsEnumerateComputeSystems' query: {"Ids": [id]?, "Owners": [owner]?}. */
int hcs_enum_query(char **out, const char *id, const char *owner);
/* The ExitCode of a ProcessStatus document (HcsWaitForProcessExit). */
int hcs_exit_code(int *out, const char *json);
/* One log record as a JSON line ending in "\n": {"log", "stream", "time"} (docker's json-file). */
int hcs_log_line(char **out, const char *stream, const char *time, const char *data, size_t len);

/* ---- the layer unpacker's Windows manifest (manifest.c) ------------------------------------ */

#define HCS_LAYER_MANIFEST "berth-windows-layer.jsonl"
#define HCS_MANIFEST_LINE_MAX (1u << 20)   /* a line longer than this is not a manifest line */
enum { HCS_ENTRY_FILE, HCS_ENTRY_DIR, HCS_ENTRY_SYMLINK, HCS_ENTRY_HARDLINK, HCS_ENTRY_WHITEOUT, HCS_ENTRY_OPAQUE };
typedef struct {
    int type;                 /* HCS_ENTRY_* */
    char *path, *link, *rawsd;
    int has_fileattr;
    uint32_t fileattr;        /* FILE_ATTRIBUTE_* */
    int64_t mtime_ns, ctime_ns;
    int is_end, is_base;      /* the end line: the manifest is complete */
    int64_t entries;
} hcs_manifest_entry;
/* One line of the manifest; paths are checked again (BERTH_EUNSAFE when not clean). */
int hcs_manifest_parse_line(hcs_manifest_entry *out, const char *line, size_t len, size_t lineno);
void hcs_manifest_entry_free(hcs_manifest_entry *e);
/* A clean relative layer path under Files/, Hives/ or UtilityVM/; BERTH_EUNSAFE otherwise. */
int hcs_layer_path_check(const char *path);
/* root + '\\' + rel with '/' turned into '\\' (rel already checked). */
char *hcs_layer_join(const char *root, const char *rel);
int hcs_base64_decode(unsigned char **out, size_t *len_out, const char *s);
/* Unix nanoseconds → FILETIME (100 ns since 1601). */
uint64_t hcs_filetime_from_unix_ns(int64_t ns);
/* <root>\layers\<chain> (staged by the unpacker) → <root>\hcs\layers\<chain> (imported). */
char *hcs_imported_layer_path(const char *staged);
/* A copy of in whose layers are the imported folders (what HCS is given); free the layers with
 * hcs_spec_imported_free(mem, in->n_layers). */
int hcs_spec_imported(runtime_spec *out, runtime_layer **mem_out, const runtime_spec *in);
void hcs_spec_imported_free(runtime_layer *mem, size_t n);

/* The runtime_backend entry points implemented per platform (ops_win32.c on Windows,
 * ops_posix.c elsewhere, which refuses with a message naming the missing host). */
int hcs_op_create(berth_t *b, const runtime_spec *spec);
int hcs_op_start(berth_t *b, const runtime_spec *spec);
int hcs_op_signal(berth_t *b, const char *id, int signo);
int hcs_op_remove(berth_t *b, const char *id);
int hcs_op_alive(berth_t *b, const char *id, int *alive_out);
int hcs_op_exec(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc, int in, int out, int err);

/* Paths the backend keeps under the container's bundle directory. */
#define HCS_SCRATCH_DIR "scratch"          /* the writable layer folder */
#define HCS_UVM_SCRATCH_DIR "vm"           /* hyperv: the utility VM's scratch (sandbox.vhdx) */
#define HCS_OWNER "berth"

#endif
