/* Picks the backend for an image's os. */
#include "runtime/runtime.h"
#include "core/error.h"
#include <string.h>

#if defined(_WIN32)
/* runtime/oci needs Linux; a Windows build has no backend for Linux images. */
static const runtime_backend *oci_backend(void) { return NULL; }
#else
/* runtime/oci (the runc backend) is part of every POSIX build. A strong reference: a weak one
 * would not pull oci.o out of the static library, leaving Linux without a backend. */
extern const runtime_backend runtime_oci;
static const runtime_backend *oci_backend(void) { return &runtime_oci; }
#endif

const runtime_backend *runtime_for_os(const char *os)
{
    if (os && strcmp(os, "windows") == 0)
        return &runtime_hcs;
    if (os && strcmp(os, "linux") == 0) {
        const runtime_backend *b = oci_backend();
        if (!b)
            berth_fail(BERTH_EUNSUPPORTED, "no runtime for linux containers in this build: they run "
                       "through runc on a Linux host (Linux containers on Windows are not supported)");
        return b;
    }
    berth_fail(BERTH_EUNSUPPORTED, "no runtime for \"%s\" containers: Berth runs linux (runc) and "
               "windows (HCS) images", os ? os : "(none)");
    return NULL;
}
