/* Walking below a layer root: every component opened with O_NOFOLLOW | O_DIRECTORY from the
 * root's own descriptor, a cache of the directories along the last path (tar entries come
 * mostly depth first), removal without following, and the set of paths a layer wrote. */
#include "layer/writer_posix.h"
#include "core/error.h"
#include "layer/path.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the set of paths written by this layer ---- */

static uint64_t path_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static int set_add_hash(layer_writer *w, uint64_t h)
{
    if ((w->set_n + 1) * 2 > w->set_cap) {
        size_t ncap = w->set_cap ? w->set_cap * 2 : 1024;
        uint64_t *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return berth_fail_oom();
        for (size_t i = 0; i < w->set_cap; i++) {
            if (!w->set[i])
                continue;
            size_t j = w->set[i] & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = w->set[i];
        }
        free(w->set);
        w->set = ns;
        w->set_cap = ncap;
    }
    size_t j = h & (w->set_cap - 1);
    while (w->set[j]) {
        if (w->set[j] == h)
            return 0;
        j = (j + 1) & (w->set_cap - 1);
    }
    w->set[j] = h;
    w->set_n++;
    return 0;
}

int set_has(const layer_writer *w, const char *path)
{
    if (!w->set_cap)
        return 0;
    uint64_t h = path_hash(path, strlen(path));
    size_t j = h & (w->set_cap - 1);
    while (w->set[j]) {
        if (w->set[j] == h)
            return 1;
        j = (j + 1) & (w->set_cap - 1);
    }
    return 0;
}

/* Records path and each of its parents. */
int set_add_path(layer_writer *w, const char *path)
{
    if (w->mode != WRITER_APPLY || !*path)
        return 0;
    int rc = 0;
    for (const char *p = path; rc == 0; p++) {
        if (*p == '/' || *p == '\0')
            rc = set_add_hash(w, path_hash(path, (size_t)(p - path)));
        if (*p == '\0')
            break;
    }
    return rc;
}

/* ---- walking ---- */

void stack_pop_to(layer_writer *w, size_t depth)
{
    while (w->depth > depth) {
        w->depth--;
        close(w->fds[w->depth]);
        free(w->names[w->depth]);
    }
}

static void inherit_from_lowers(layer_writer *w, int fd, const char *path, size_t len);

/* Opens component comp of dirfd as a directory without following it. shown/shown_len name the
 * path so far for messages. create: make it (0755) when missing. Returns the fd, -2 when it is
 * missing and !create, or -1 with a message. */
static int open_dir_at(layer_writer *w, int dirfd, const char *comp, const char *shown, size_t shown_len, int create)
{
    int created = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            if (created)
                inherit_from_lowers(w, fd, shown, shown_len);
            return fd;
        }
        int err = errno;
        if (err == ENOENT && !create)
            return -2;
        if (err == ENOENT && attempt == 0) {
            if (mkdirat(dirfd, comp, 0755) == 0) {
                created = 1;
            } else if (errno != EEXIST) {
                berth_fail_errno(BERTH_ERROR, errno, "create directory \"%.*s\"", (int)shown_len, shown);
                return -1;
            }
            continue;
        }
        struct stat st;
        if ((err == ELOOP || err == ENOTDIR) && fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISLNK(st.st_mode))
                berth_fail(BERTH_EUNSAFE, "\"%.*s\" is a symlink; writing through it could land outside "
                           "the layer, so it is refused", (int)shown_len, shown);
            else
                berth_fail(BERTH_EUNSAFE, "\"%.*s\" is not a directory", (int)shown_len, shown);
            return -1;
        }
        berth_fail_errno(BERTH_ERROR, err, "open directory \"%.*s\"", (int)shown_len, shown);
        return -1;
    }
    berth_fail(BERTH_ERROR, "directory \"%.*s\" vanished while it was being created", (int)shown_len, shown);
    return -1;
}

/* Walks the directory path dir ("" = root), using and refilling the stack. *fd_out is borrowed
 * (owned by the stack or the root) unless *owned is set. Returns 0, 1 when missing (!create),
 * or an error. */
int walk(layer_writer *w, const char *dir, int create, int *fd_out, int *owned)
{
    *owned = 0;
    size_t i = 0;
    const char *p = dir;
    int cur = w->root_fd, cur_owned = 0;
    while (*p) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - s);
        if (!cur_owned && i < w->depth && strlen(w->names[i]) == n && memcmp(w->names[i], s, n) == 0) {
            cur = w->fds[i];
        } else {
            if (!cur_owned && i <= w->depth)
                stack_pop_to(w, i);
            char comp[LAYER_NAME_MAX + 1];
            memcpy(comp, s, n);
            comp[n] = '\0';
            int fd = open_dir_at(w, cur, comp, dir, (size_t)(p - dir), create);
            if (cur_owned)
                close(cur);
            if (fd == -2)
                return 1;
            if (fd < 0)
                return berth_errcode() ? berth_errcode() : BERTH_ERROR;
            if (!cur_owned && w->depth == i && i < STACK_MAX) {
                w->names[i] = strndup(s, n);
                if (!w->names[i]) {
                    close(fd);
                    return berth_fail_oom();
                }
                w->fds[i] = fd;
                w->depth++;
                cur = fd;
            } else {
                cur = fd;
                cur_owned = 1;
            }
        }
        i++;
        if (*p)
            p++;
    }
    if (!cur_owned)
        stack_pop_to(w, i);
    *fd_out = cur;
    *owned = cur_owned;
    return 0;
}

/* Opens path (len bytes, cleaned) below the folder lower without following anything: 0 and
 * *fd_out when it is a directory, 1 when it is missing, -1 otherwise (a whiteout, a file). */
static int open_below(int lower, const char *path, size_t len, int *fd_out)
{
    int cur = dup(lower);
    size_t i = 0;
    while (cur >= 0 && i < len) {
        size_t n = 0;
        while (i + n < len && path[i + n] != '/')
            n++;
        char comp[LAYER_NAME_MAX + 1];
        memcpy(comp, path + i, n);
        comp[n] = '\0';
        int fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int err = errno;
        close(cur);
        if (fd < 0)
            return err == ENOENT ? 1 : -1;
        cur = fd;
        i += n + 1;
    }
    if (cur < 0)
        return -1;
    *fd_out = cur;
    return 0;
}

static void inherit_from_lowers(layer_writer *w, int fd, const char *path, size_t len)
{
    for (size_t i = 0; i < w->n_lowers; i++) {
        int lfd, r = open_below(w->lowers[i], path, len, &lfd);
        if (r == 1)
            continue;       /* not in this lower layer: look further down */
        if (r != 0)
            return;         /* deleted or not a directory below: keep the defaults */
        struct stat st;
        if (fstat(lfd, &st) == 0) {
            if (w->as_root && fchown(fd, st.st_uid, st.st_gid) != 0)
                st.st_mode &= 0777;
            if (fchmod(fd, st.st_mode & 07777) == 0) {
                struct timespec ts[2] = { st.st_atim, st.st_mtim };
                defer_times(w, path, len, ts);
            }
        }
        close(lfd);
        return;
    }
}

/* Opens directory dir ("" = root) without the stack; *fd_out is always the caller's to close.
 * Returns 0, 1 when missing, or an error. */
int open_path_dir(layer_writer *w, const char *dir, int *fd_out)
{
    int cur = dup(w->root_fd);
    if (cur < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "open the layer root");
    const char *p = dir;
    while (*p) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        char comp[LAYER_NAME_MAX + 1];
        size_t n = (size_t)(p - s);
        memcpy(comp, s, n);
        comp[n] = '\0';
        int fd = open_dir_at(w, cur, comp, dir, (size_t)(p - dir), 0);
        close(cur);
        if (fd == -2)
            return 1;
        if (fd < 0)
            return berth_errcode() ? berth_errcode() : BERTH_ERROR;
        cur = fd;
        if (*p)
            p++;
    }
    *fd_out = cur;
    return 0;
}

/* ---- removal ---- */

int remove_at(int parent, const char *name, const char *shown, int depth)
{
    if (depth > REMOVE_DEPTH_MAX)
        return berth_fail(BERTH_EUNSAFE, "remove \"%s\": directories nested deeper than %d", shown, REMOVE_DEPTH_MAX);
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno != ELOOP && errno != ENOTDIR)
            return berth_fail_errno(BERTH_ERROR, errno, "remove \"%s\"", shown);
        if (unlinkat(parent, name, 0) != 0 && errno != ENOENT)
            return berth_fail_errno(BERTH_ERROR, errno, "remove \"%s\"", shown);
        return 0;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return berth_fail_errno(BERTH_ERROR, errno, "list \"%s\"", shown);
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        rc = remove_at(dirfd(d), de->d_name, shown, depth + 1);
    }
    closedir(d);
    if (rc == 0 && unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = berth_fail_errno(BERTH_ERROR, errno, "remove directory \"%s\"", shown);
    return rc;
}

/* Apply mode's opaque marker: removes what this layer did not write, below dir. */
int empty_except_written(layer_writer *w, int fd, char *path, size_t len, int depth)
{
    if (depth > REMOVE_DEPTH_MAX)
        return berth_fail(BERTH_EUNSAFE, "empty \"%s\": directories nested deeper than %d", path, REMOVE_DEPTH_MAX);
    int dfd = dup(fd);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return berth_fail_errno(BERTH_ERROR, errno, "list \"%s\"", path);
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        size_t n = strlen(de->d_name);
        if (len + 1 + n >= LAYER_PATH_MAX) {
            rc = berth_fail(BERTH_EUNSAFE, "empty \"%s\": a path below it is too long", path);
            break;
        }
        size_t at = len;
        if (len)
            path[at++] = '/';
        memcpy(path + at, de->d_name, n + 1);
        if (!set_has(w, path)) {
            rc = remove_at(dirfd(d), de->d_name, path, depth);
        } else {
            int cfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cfd >= 0) {
                rc = empty_except_written(w, cfd, path, at + n, depth + 1);
                close(cfd);
            }
        }
        path[len] = '\0';
    }
    closedir(d);
    return rc;
}
