# Berth on Linux. `make` builds the library, the CLI and the monitor; `make test` installs what
# the tests need and runs every suite; `make demo` runs the main job; `make bench` the benchmarks.
include sources.mk

BUILD   ?= build
CC      ?= cc
PKGS     = libcurl json-c libarchive openssl sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl and libarchive are compiled against but not linked: the library loads them at first
# use (core/dynlib.h), so commands that never pull or unpack start without their ~40 libraries.
LINK_PKGS  = json-c libcrypto sqlite3
PKG_LIBS   := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
WARN     = -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -pthread $(WARN) $(CFLAGS) \
	-Inative/include -Inative/src $(PKG_CFLAGS)
LDLIBS   = $(PKG_LIBS) -pthread
# unit tests build their fixtures with libarchive directly
TEST_LDLIBS = $(LDLIBS) $(shell pkg-config --libs libarchive 2>/dev/null)

LIB_SRC  = $(LIB_SRC_PORTABLE) $(LIB_SRC_POSIX)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(CLI_SRC_POSIX:%.c=$(BUILD)/obj/%.o)
SHIM_OBJ = $(SHIM_SRC_POSIX:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(shell find native/src -name '*_test.c' | sort)
UNIT_BIN  = $(patsubst %.c,$(BUILD)/test/%,$(notdir $(UNIT_SRC)))

.PHONY: all lib cli shim unit asan test demo bench clean deps module
all: lib cli shim

lib: $(BUILD)/libberth.a $(BUILD)/libberth.so
cli: $(BUILD)/berth
shim: $(if $(SHIM_SRC_POSIX),$(BUILD)/berth-shim)

$(BUILD)/obj/%.o: %.c native/include/berth.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libberth.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libberth.so: $(LIB_OBJ)
	$(CC) -shared -o $@ $^ $(LDLIBS)

$(BUILD)/berth: $(CLI_OBJ) $(BUILD)/libberth.a
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libberth.a $(LDLIBS)

$(BUILD)/berth-shim: $(SHIM_OBJ) $(BUILD)/libberth.a
	$(CC) -o $@ $(SHIM_OBJ) $(BUILD)/libberth.a $(LDLIBS)

# Unit tests live beside their concern (native/src/store/store_test.c); each is its own
# program linked with the static library, printing TAP lines (tests/native/check.h).
define unit_rule
$(BUILD)/test/$(basename $(notdir $(1))): $(1) $(BUILD)/libberth.a tests/native/check.h
	@mkdir -p $(BUILD)/test
	$$(CC) $$(ALL_CFLAGS) -Itests/native -o $$@ $(1) $(BUILD)/libberth.a $$(TEST_LDLIBS)
endef
$(foreach t,$(UNIT_SRC),$(eval $(call unit_rule,$(t))))

unit: $(UNIT_BIN)

# The same unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, in their own tree.
asan:
	$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit \
		LDLIBS="$(LDLIBS) -fsanitize=address,undefined"

# Installs what building and testing need (apt packages; NuGet packages into the repo).
deps:
	@tests/setup/install-deps.sh

test: deps
	@tests/run.sh

demo: deps all
	@samples/demo.sh

bench: deps all
	@bench/run.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
