/* berth_open / berth_close: resolve the root, create its layout, open the metadata database. */
#include "core/error.h"
#include "core/fs.h"
#include "store/store.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#  define DEFAULT_ROOT_FALLBACK "C:\\ProgramData\\berth"
#else
#  define DEFAULT_ROOT_FALLBACK "/var/lib/berth"
#endif

/* The root the caller asked for, else $BERTH_ROOT, else the platform default. */
static char *choose_root(const char *root)
{
    if (root && *root)
        return strdup(root);
    const char *env = getenv("BERTH_ROOT");
    if (env && *env)
        return strdup(env);
#ifdef _WIN32
    const char *pd = getenv("ProgramData");
    if (pd && *pd)
        return fs_join(pd, "berth");
#endif
    return strdup(DEFAULT_ROOT_FALLBACK);
}

static const char *const layout[] = { "blobs/sha256", "ingest", "layers", "containers", "tmp" };

int berth_open(berth_t **out, const char *root)
{
    berth_error_clear();
    if (!out)
        return berth_fail(BERTH_EINVAL, "berth_open: out is NULL");
    *out = NULL;
    berth_t *b = calloc(1, sizeof *b);
    char *chosen = choose_root(root);
    int rc = 0;
    if (!b || !chosen) {
        rc = berth_fail_oom();
        goto out;
    }
    if ((rc = fs_mkdir_p(chosen, 0711)) != 0) {
        rc = berth_wrap(rc, "open store %s (run as root or choose another --root / BERTH_ROOT)", chosen);
        goto out;
    }
#ifdef _WIN32
    b->root = _fullpath(NULL, chosen, 0);
#else
    b->root = realpath(chosen, NULL);
#endif
    if (!b->root) {
        rc = berth_fail_oom();
        goto out;
    }
    for (size_t i = 0; i < sizeof layout / sizeof layout[0] && rc == 0; i++) {
        char *p = fs_join(b->root, layout[i]);
        rc = p ? fs_mkdir_p(p, 0700) : BERTH_ENOMEM;
        free(p);
    }
    if (rc == 0)
        rc = store_meta_open(b);
    if (rc != 0)
        goto out;
    *out = b;
    b = NULL;
out:
    free(chosen);
    if (b)
        berth_close(b);
    return rc;
}

void berth_close(berth_t *b)
{
    if (!b)
        return;
    store_meta_close(b);
    free(b->root);
    free(b);
}

const char *berth_root(const berth_t *b) { return b ? b->root : NULL; }
