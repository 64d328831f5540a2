# The one source list, included by Makefile (GNU make, Linux) and NMakefile (nmake, Windows).
# Plain `NAME = files` lines only: both makes read them. One block per concern, so that work
# on one concern never touches another's lines. tests/build/sources_test.sh checks that every
# library source in the tree is listed here exactly once.

SRC_CORE = native/src/core/error.c native/src/core/memory.c native/src/core/digest.c \
	native/src/core/buf.c native/src/core/json.c
SRC_CORE_POSIX = native/src/core/fs_posix.c
SRC_CORE_WIN32 =

SRC_REFERENCE = native/src/reference/reference.c native/src/reference/insecure.c
SRC_PLATFORM = native/src/platform/platform.c native/src/platform/platform_match.c
SRC_PLATFORM_POSIX = native/src/platform/platform_posix.c
SRC_STORE = native/src/store/open.c native/src/store/meta.c native/src/store/content.c \
	native/src/store/sql.c native/src/store/image_commit.c native/src/store/lease.c \
	native/src/store/image_name.c native/src/store/image_json.c native/src/store/image_users.c \
	native/src/store/image_list.c native/src/store/image_inspect.c native/src/store/image_tag.c \
	native/src/store/image_remove.c native/src/store/fsck.c native/src/store/prune.c
SRC_STORE_POSIX = native/src/store/ingest_file_posix.c native/src/store/lease_owner_posix.c \
	native/src/store/dir_walk_posix.c
SRC_STORE_WIN32 = native/src/store/ingest_file_win32.c native/src/store/lease_owner_win32.c \
	native/src/store/dir_walk_win32.c
SRC_REGISTRY = native/src/registry/client.c native/src/registry/auth.c native/src/registry/credentials.c \
	native/src/registry/manifest.c native/src/registry/blobs.c native/src/registry/login.c
SRC_LAYER = native/src/layer/path.c native/src/layer/media.c native/src/layer/chain.c \
	native/src/layer/stream.c native/src/layer/unpack.c native/src/layer/windows.c native/src/layer/apply.c
SRC_LAYER_POSIX = native/src/layer/writer_posix.c native/src/layer/store_posix.c
SRC_LAYER_WIN32 = native/src/layer/writer_win32.c native/src/layer/store_win32.c
SRC_IMAGE = native/src/image/manifest.c native/src/image/pull.c
SRC_CONTAINER =
SRC_RUNTIME =
SRC_RUNTIME_POSIX =
SRC_RUNTIME_WIN32 =

# The library: portable sources plus one platform's.
LIB_SRC_PORTABLE = $(SRC_CORE) $(SRC_REFERENCE) $(SRC_PLATFORM) $(SRC_STORE) $(SRC_REGISTRY) \
	$(SRC_LAYER) $(SRC_IMAGE) $(SRC_CONTAINER) $(SRC_RUNTIME)
LIB_SRC_POSIX = $(SRC_CORE_POSIX) $(SRC_RUNTIME_POSIX) $(SRC_STORE_POSIX) $(SRC_PLATFORM_POSIX) $(SRC_LAYER_POSIX)
LIB_SRC_WIN32 = $(SRC_CORE_WIN32) $(SRC_RUNTIME_WIN32) $(SRC_STORE_WIN32) $(SRC_PLATFORM_WIN32) $(SRC_LAYER_WIN32)

# The CLI: one file per subcommand, like crun.
CLI_SRC = native/cli/main.c native/cli/output.c native/cli/cmd_version.c \
	native/cli/cmd_images.c native/cli/cmd_inspect.c native/cli/cmd_tag.c native/cli/cmd_rmi.c \
	native/cli/cmd_fsck.c native/cli/cmd_prune.c native/cli/cmd_pull.c native/cli/cmd_login.c native/cli/cmd_logout.c \
	native/cli/cmd_layer.c

# The per-container monitor.
SHIM_SRC_POSIX =
SHIM_SRC_WIN32 =
