/* The curl function table: filled by dlopen at the first curl_lib_load() of the process. */
#define CURL_LIB_DIRECT
#include "registry/curl_lib.h"
#include "core/dynlib.h"
#include <dlfcn.h>

static struct curl_lib table;   /* written once under curl_lib_once's lock, read-only after */
static dynlib_once curl_lib_once = DYNLIB_ONCE_INIT;

static const char *resolve(void *lib)
{
#define X(name) if (!(table.name = (__typeof__(table.name))dlsym(lib, #name))) return #name;
    CURL_LIB_SYMBOLS(X)
#undef X
    return NULL;
}

int curl_lib_load(void)
{
    return dynlib_load_once(&curl_lib_once, "libcurl.so.4", "libcurl4", resolve);
}

const struct curl_lib *curl_lib(void)
{
    return &table;
}
