/* The host's device nodes for a privileged container (docker --privileged gives them all). */
#include "runtime/oci/oci.h"
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Folders the container has its own of (runc mounts them) or that hold no devices. */
static int skipped(const char *path)
{
    static const char *const skip[] = { "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/console", "/dev/ptmx", "/dev/fd", "/dev/core" };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(path, skip[i]) == 0)
            return 1;
    return 0;
}

static void walk(json_object *out, const char *dir, int depth)
{
    DIR *d = depth < 4 ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && json_object_array_length(out) < 4096) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        struct stat st;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path || skipped(path) || lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(out, path, depth + 1);
            continue;
        }
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
            continue;
        json_object *dev = json_object_new_object();
        json_object_object_add(dev, "path", json_object_new_string(path));
        json_object_object_add(dev, "type", json_object_new_string(S_ISCHR(st.st_mode) ? "c" : "b"));
        json_object_object_add(dev, "major", json_object_new_int64(major(st.st_rdev)));
        json_object_object_add(dev, "minor", json_object_new_int64(minor(st.st_rdev)));
        json_object_object_add(dev, "fileMode", json_object_new_int(st.st_mode & 07777));
        json_object_object_add(dev, "uid", json_object_new_int64(st.st_uid));
        json_object_object_add(dev, "gid", json_object_new_int64(st.st_gid));
        json_object_array_add(out, dev);
    }
    if (d)
        closedir(d);
}

json_object *oci_host_devices(void)
{
    json_object *a = json_object_new_array();
    if (a)
        walk(a, "/dev", 0);
    return a;
}
