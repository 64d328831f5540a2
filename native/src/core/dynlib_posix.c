/* dynlib_load_once: dlopen at first use. The tables it fills are written under the lock once
 * and only read afterwards, like the dynamic linker's own relocations. */
#include "core/dynlib.h"
#include "core/error.h"
#include <dlfcn.h>
#include <stdio.h>

int dynlib_load_once(dynlib_once *o, const char *soname, const char *package, const char *(*resolve)(void *lib))
{
    pthread_mutex_lock(&o->lock);
    if (o->state == 0) {
        void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        const char *missing = NULL;
        if (!lib) {
            const char *e = dlerror();
            snprintf(o->why, sizeof o->why, "cannot load %s (%s): install the %s package", soname, e ? e : "not found",
                     package);
        } else if ((missing = resolve(lib)) != NULL) {
            snprintf(o->why, sizeof o->why, "%s has no %s: it is too old — install a current %s package", soname,
                     missing, package);
            dlclose(lib);
        }
        o->state = lib && !missing ? 1 : -1;   /* a loaded library stays loaded for the process */
    }
    int state = o->state;
    pthread_mutex_unlock(&o->lock);
    return state == 1 ? 0 : berth_fail(BERTH_EUNSUPPORTED, "%s", o->why);
}
