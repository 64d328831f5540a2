/* The archive function table: filled by dlopen at the first archive_lib_load() of the process. */
#define ARCHIVE_LIB_DIRECT
#include "layer/archive_lib.h"
#include "core/dynlib.h"
#include <dlfcn.h>

static struct archive_lib table;   /* written once under archive_lib_once's lock, read-only after */
static dynlib_once archive_lib_once = DYNLIB_ONCE_INIT;

static const char *resolve(void *lib)
{
#define X(name) if (!(table.name = (__typeof__(table.name))dlsym(lib, #name))) return #name;
    ARCHIVE_LIB_SYMBOLS(X)
#undef X
    return NULL;
}

int archive_lib_load(void)
{
    return dynlib_load_once(&archive_lib_once, "libarchive.so.13", "libarchive13", resolve);
}

const struct archive_lib *archive_lib(void)
{
    return &table;
}
