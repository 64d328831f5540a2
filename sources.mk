# The one source list, included by Makefile (GNU make, Linux) and NMakefile (nmake, Windows).
# Plain `NAME = files` lines only: both makes read them. One block per concern, so that work
# on one concern never touches another's lines. tests/build/sources_test.sh checks that every
# library source in the tree is listed here exactly once.

SRC_CORE = native/src/core/error.c native/src/core/memory.c native/src/core/digest.c \
	native/src/core/buf.c native/src/core/json.c native/src/core/fs_read.c
SRC_CORE_POSIX = native/src/core/fs_posix.c native/src/core/thread_posix.c native/src/core/dynlib_posix.c
SRC_CORE_WIN32 = native/src/core/fs_win32.c native/src/core/utf16_win32.c native/src/core/thread_win32.c

SRC_REFERENCE = native/src/reference/reference.c native/src/reference/insecure.c
SRC_PLATFORM = native/src/platform/platform.c native/src/platform/platform_match.c
SRC_PLATFORM_POSIX = native/src/platform/platform_posix.c
SRC_PLATFORM_WIN32 = native/src/platform/platform_win32.c
SRC_STORE = native/src/store/open.c native/src/store/meta.c native/src/store/content.c \
	native/src/store/sql.c native/src/store/image_commit.c native/src/store/lease.c \
	native/src/store/image_name.c native/src/store/image_json.c native/src/store/image_users.c \
	native/src/store/image_list.c native/src/store/image_inspect.c native/src/store/image_tag.c \
	native/src/store/image_remove.c native/src/store/fsck.c native/src/store/prune.c
SRC_REGISTRY_POSIX = native/src/registry/curl_lib_posix.c
SRC_STORE_POSIX = native/src/store/ingest_file_posix.c native/src/store/lease_owner_posix.c \
	native/src/store/dir_walk_posix.c
SRC_STORE_WIN32 = native/src/store/ingest_file_win32.c native/src/store/lease_owner_win32.c \
	native/src/store/dir_walk_win32.c
SRC_REGISTRY = native/src/registry/client.c native/src/registry/auth.c native/src/registry/credentials.c \
	native/src/registry/manifest.c native/src/registry/blobs.c native/src/registry/login.c
SRC_LAYER = native/src/layer/path.c native/src/layer/media.c native/src/layer/chain.c \
	native/src/layer/stream.c native/src/layer/pax_shadow.c native/src/layer/unpack.c native/src/layer/windows.c native/src/layer/apply.c
SRC_LAYER_POSIX = native/src/layer/archive_lib_posix.c native/src/layer/writer_posix.c native/src/layer/walk_posix.c native/src/layer/store_posix.c
SRC_LAYER_WIN32 = native/src/layer/writer_win32.c native/src/layer/store_win32.c
SRC_IMAGE = native/src/image/manifest.c native/src/image/pull.c native/src/image/pull_unpack.c \
	native/src/image/progress.c
# Image lifecycle: push, save/load, prune (gc).
SRC_LIFECYCLE = native/src/registry/upload.c native/src/image/local.c native/src/image/push.c \
	native/src/image/uncompress.c native/src/image/archive_src.c native/src/image/archive_out.c \
	native/src/image/load_plan.c native/src/image/load_docker.c native/src/image/load_oci.c \
	native/src/image/load.c native/src/image/save.c native/src/gc/gc.c
SRC_LIFECYCLE_POSIX = native/src/gc/gc_posix.c native/src/image/archive_dir_posix.c
SRC_LIFECYCLE_WIN32 = native/src/gc/gc_win32.c native/src/image/archive_dir_win32.c
SRC_CONTAINER = native/src/container/model.c native/src/container/names.c native/src/container/spec.c \
	native/src/container/rt.c native/src/container/lifecycle.c native/src/container/view.c \
	native/src/container/logs.c native/src/container/exec.c native/src/container/remove.c \
	native/src/container/restart.c native/src/container/boot.c native/src/container/update.c
SRC_RUNTIME = native/src/runtime/runtime.c $(SRC_RUNTIME_HCS)
SRC_RUNTIME_POSIX = $(SRC_RUNTIME_HCS_POSIX) $(SRC_RUNTIME_OCI_POSIX)
SRC_RUNTIME_WIN32 = $(SRC_RUNTIME_HCS_WIN32) native/src/container/lock_win32.c

# runtime/oci: runc on Linux (container/lock_posix.c rides here: flock-based container locks).
SRC_RUNTIME_OCI_POSIX = native/src/container/lock_posix.c native/src/runtime/oci/config.c \
	native/src/runtime/oci/user.c native/src/runtime/oci/process.c native/src/runtime/oci/oci.c \
	native/src/runtime/oci/exec.c native/src/runtime/oci/network.c native/src/runtime/oci/devices.c \
	native/src/runtime/oci/volume_seed.c

# runtime/oci security: capabilities and seccomp profiles (pure, so create checks them on every platform).
SRC_SECURITY = native/src/runtime/oci/caps.c native/src/runtime/oci/seccomp.c native/src/container/security.c

# runtime/hcs: portable document builders (tested on Linux) + the Windows calls.
SRC_RUNTIME_HCS = native/src/runtime/hcs/guid.c native/src/runtime/hcs/cmdline.c \
	native/src/runtime/hcs/doc.c native/src/runtime/hcs/backend.c native/src/runtime/hcs/result.c \
	native/src/runtime/hcs/hostfacts.c native/src/runtime/hcs/plan_api.c \
	native/src/runtime/hcs/manifest.c
SRC_RUNTIME_HCS_POSIX = native/src/runtime/hcs/ops_posix.c
SRC_RUNTIME_HCS_WIN32 = native/src/runtime/hcs/api_win32.c native/src/runtime/hcs/layers_win32.c \
	native/src/runtime/hcs/net_win32.c native/src/runtime/hcs/ops_win32.c

# The library: portable sources plus one platform's.
LIB_SRC_PORTABLE = $(SRC_CORE) $(SRC_REFERENCE) $(SRC_PLATFORM) $(SRC_STORE) $(SRC_REGISTRY) \
	$(SRC_LAYER) $(SRC_IMAGE) $(SRC_CONTAINER) $(SRC_RUNTIME) $(SRC_LIFECYCLE) $(SRC_SECURITY)
LIB_SRC_POSIX = $(SRC_CORE_POSIX) $(SRC_REGISTRY_POSIX) $(SRC_RUNTIME_POSIX) $(SRC_STORE_POSIX) $(SRC_PLATFORM_POSIX) $(SRC_LAYER_POSIX) \
	$(SRC_LIFECYCLE_POSIX)
LIB_SRC_WIN32 = $(SRC_CORE_WIN32) $(SRC_RUNTIME_WIN32) $(SRC_STORE_WIN32) $(SRC_PLATFORM_WIN32) $(SRC_LAYER_WIN32) \
	$(SRC_LIFECYCLE_WIN32)

# The CLI: one file per subcommand, like crun.
CLI_SRC = native/cli/main.c native/cli/output.c native/cli/table.c native/cli/time_ago.c native/cli/cmd_version.c \
	native/cli/cmd_images.c native/cli/cmd_inspect.c native/cli/cmd_tag.c native/cli/cmd_rmi.c \
	native/cli/cmd_hcs_plan.c native/cli/cmd_layer.c \
	native/cli/cmd_pull.c native/cli/cmd_login.c native/cli/cmd_logout.c \
	native/cli/cmd_push.c native/cli/cmd_save.c native/cli/cmd_load.c native/cli/interrupt.c \
	native/cli/container_args.c native/cli/cmd_create.c native/cli/cmd_run.c \
	native/cli/attach.c native/cli/cmd_attach.c native/cli/cmd_start.c native/cli/cmd_stop.c native/cli/cmd_restart.c native/cli/cmd_kill.c \
	native/cli/cmd_wait.c native/cli/cmd_rm.c native/cli/cmd_ps.c native/cli/cmd_logs.c \
	native/cli/cmd_exec.c native/cli/cmd_container.c \
	native/cli/cmd_fsck.c native/cli/cmd_prune.c native/cli/cmd_system.c native/cli/cmd_update.c

# The CLI's platform parts (staying attached: signals, stdin, the terminal).
CLI_SRC_POSIX = native/cli/attach_posix.c
CLI_SRC_WIN32 = native/cli/attach_win32.c

# The per-container monitor.
SHIM_SRC_POSIX = native/shim/shim_posix.c
SHIM_SRC_WIN32 = native/shim/shim_win32.c
