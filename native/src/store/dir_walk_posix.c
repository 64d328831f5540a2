#include "store/dir_walk.h"
#include "core/error.h"
#include <dirent.h>
#include <errno.h>
#include <string.h>

int dir_walk(const char *dir, dir_walk_fn fn, void *payload)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : berth_fail_errno(BERTH_ERROR, errno, "list %s", dir);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        rc = fn(e->d_name, payload);
    }
    closedir(d);
    return rc;
}
