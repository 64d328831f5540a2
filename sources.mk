# The one source list, included by Makefile (GNU make, Linux) and NMakefile (nmake, Windows).
# Plain `NAME = files` lines only: both makes read them. One block per concern, so that work
# on one concern never touches another's lines. tests/build/sources_test.sh checks that every
# library source in the tree is listed here exactly once.

SRC_CORE = native/src/core/error.c native/src/core/memory.c native/src/core/digest.c \
	native/src/core/buf.c native/src/core/json.c
SRC_CORE_POSIX = native/src/core/fs_posix.c
SRC_CORE_WIN32 =

SRC_REFERENCE =
SRC_PLATFORM =
SRC_STORE = native/src/store/open.c native/src/store/meta.c
SRC_REGISTRY =
SRC_LAYER = native/src/layer/path.c native/src/layer/media.c native/src/layer/chain.c \
	native/src/layer/stream.c native/src/layer/pax_shadow.c native/src/layer/unpack.c native/src/layer/windows.c native/src/layer/apply.c
SRC_LAYER_POSIX = native/src/layer/writer_posix.c native/src/layer/walk_posix.c native/src/layer/store_posix.c
SRC_LAYER_WIN32 = native/src/layer/writer_win32.c native/src/layer/store_win32.c
SRC_IMAGE =
SRC_CONTAINER =
SRC_RUNTIME =
SRC_RUNTIME_POSIX =
SRC_RUNTIME_WIN32 =

# The library: portable sources plus one platform's.
LIB_SRC_PORTABLE = $(SRC_CORE) $(SRC_REFERENCE) $(SRC_PLATFORM) $(SRC_STORE) $(SRC_REGISTRY) \
	$(SRC_LAYER) $(SRC_IMAGE) $(SRC_CONTAINER) $(SRC_RUNTIME)
LIB_SRC_POSIX = $(SRC_CORE_POSIX) $(SRC_RUNTIME_POSIX) $(SRC_LAYER_POSIX)
LIB_SRC_WIN32 = $(SRC_CORE_WIN32) $(SRC_RUNTIME_WIN32) $(SRC_LAYER_WIN32)

# The CLI: one file per subcommand, like crun.
CLI_SRC = native/cli/main.c native/cli/output.c native/cli/cmd_version.c native/cli/cmd_layer.c

# The per-container monitor.
SHIM_SRC_POSIX =
SHIM_SRC_WIN32 =
