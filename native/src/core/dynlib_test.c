/* dynlib: a library is opened once per process and its outcome kept; a missing library or
 * symbol fails with the package to install; the real libcurl and libarchive tables fill. */
#include "check.h"
#include "core/dynlib.h"
#include "core/error.h"
#include "layer/archive_lib.h"
#include "registry/curl_lib.h"
#include <dlfcn.h>
#include <string.h>

static int resolved;
static const char *resolve_strlen(void *lib)
{
    resolved++;
    return dlsym(lib, "strlen") ? NULL : "strlen";
}
static const char *resolve_missing(void *lib)
{
    return dlsym(lib, "berth_no_such_function") ? NULL : "berth_no_such_function";
}

static void a_missing_library_names_its_package(void)
{
    dynlib_once o = DYNLIB_ONCE_INIT;
    CHECK_RC(BERTH_EUNSUPPORTED, dynlib_load_once(&o, "libberth-absent.so.9", "libberth-absent9", resolve_strlen));
    CHECK_MSG("cannot load libberth-absent.so.9");
    CHECK_MSG("install the libberth-absent9 package");
    /* the outcome is kept: the second call fails the same way without trying again */
    berth_error_clear();
    CHECK_RC(BERTH_EUNSUPPORTED, dynlib_load_once(&o, "libberth-absent.so.9", "libberth-absent9", resolve_strlen));
    CHECK_MSG("install the libberth-absent9 package");
}

static void a_missing_symbol_says_too_old(void)
{
    dynlib_once o = DYNLIB_ONCE_INIT;
    CHECK_RC(BERTH_EUNSUPPORTED, dynlib_load_once(&o, "libc.so.6", "libc6", resolve_missing));
    CHECK_MSG("libc.so.6 has no berth_no_such_function");
    CHECK_MSG("too old");
}

static void loaded_once_then_kept(void)
{
    dynlib_once o = DYNLIB_ONCE_INIT;
    resolved = 0;
    CHECK_OK(dynlib_load_once(&o, "libc.so.6", "libc6", resolve_strlen));
    CHECK_OK(dynlib_load_once(&o, "libc.so.6", "libc6", resolve_strlen));
    CHECK(resolved == 1);
}

static void the_real_tables_fill(void)
{
    /* the calls below go through the tables (the headers' macros) */
    CHECK_OK(curl_lib_load());
    CURL *e = curl_easy_init();
    CHECK(e != NULL);
    CHECK(curl_easy_setopt(e, CURLOPT_TIMEOUT, 5L) == CURLE_OK);
    curl_easy_cleanup(e);
    CHECK_OK(archive_lib_load());
    struct archive *a = archive_read_new();
    CHECK(a != NULL);
    archive_read_free(a);
}

int main(void)
{
    RUN(a_missing_library_names_its_package);
    RUN(a_missing_symbol_says_too_old);
    RUN(loaded_once_then_kept);
    RUN(the_real_tables_fill);
    return check_done();
}
