/* Filling an empty volume from the image, like docker: on first use of a volume mounted where
 * the image has files, those files (owners, modes, times, symlinks, devices, hard links and
 * extended attributes where the file system takes them) are copied into it before the
 * container starts. Never when the volume has content (the user's data wins) and never for
 * bind mounts; --volume NAME:/path:nocopy skips it.
 *
 * The copy goes to <volume>.seeding beside the volume and is renamed over the still-empty
 * volume folder at the end, so a crash mid-copy leaves the volume empty (and the next start
 * copies again) rather than half filled for ever. The source is the container's mounted root
 * file system, resolved inside it (open_in_root) so an image's symlink cannot lead outside. */
#include "runtime/oci/oci.h"
#include "core/error.h"
#include "core/fs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SEED_MAX_DEPTH 128

typedef struct {
    struct { dev_t dev; ino_t ino; char *path; } *links;   /* files with several names, for linkat */
    size_t n, cap;
    int dst_root;                                           /* the .seeding folder */
} seed_ctx;

static void copy_xattrs(int from, int to)
{
    char names[8192], value[65536];
    ssize_t n = flistxattr(from, names, sizeof names);
    for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
        ssize_t vl = fgetxattr(from, names + off, value, sizeof value);
        if (vl >= 0 && fsetxattr(to, names + off, value, (size_t)vl, 0) != 0)
            (void)0;    /* where possible: a volume's file system may not take every namespace */
    }
}

static int copy_data(int in, int out, const char *what)
{
    char buf[65536];
    for (;;) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
        if (n == 0)
            return 0;
        if (n > 0)
            continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            return berth_fail_errno(BERTH_ERROR, errno, "copy %s", what);
        break;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "read %s", what);
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(out, buf + w, (size_t)(n - w));
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                return berth_fail_errno(BERTH_ERROR, errno, "write %s", what);
            w += k;
        }
    }
}

static void set_meta(int fd, const struct stat *st)
{
    struct timespec t[2] = { st->st_atim, st->st_mtim };
    if (fchown(fd, st->st_uid, st->st_gid) != 0 || fchmod(fd, st->st_mode & 07777) != 0 || futimens(fd, t) != 0)
        (void)0;    /* best effort, like cp -a */
}

static int copy_dir(seed_ctx *c, int src, int dst, const char *rel, int depth);

static int copy_entry(seed_ctx *c, int src, int dst, const char *name, const char *rel, int depth)
{
    struct stat st;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", rel, name);
    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "stat %s in the image", path);
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        for (size_t i = 0; i < c->n; i++)
            if (c->links[i].dev == st.st_dev && c->links[i].ino == st.st_ino)
                return linkat(c->dst_root, c->links[i].path, dst, name, 0) == 0 ? 0
                       : berth_fail_errno(BERTH_ERROR, errno, "link %s", path);
    }
    int rc = 0, in = -1, out = -1;
    if (S_ISDIR(st.st_mode)) {
        if (depth >= SEED_MAX_DEPTH)
            return berth_fail(BERTH_EINVAL, "%s: folders nested deeper than %d", path, SEED_MAX_DEPTH);
        if (mkdirat(dst, name, 0700) != 0)
            return berth_fail_errno(BERTH_ERROR, errno, "create %s", path);
        in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0 || out < 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "open %s", path);
        if (rc == 0)
            rc = copy_dir(c, in, out, path, depth + 1);
        if (rc == 0) {
            copy_xattrs(in, out);
            set_meta(out, &st);
        }
    } else if (S_ISREG(st.st_mode)) {
        in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        out = in < 0 ? -1 : openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (in < 0 || out < 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "copy %s", path);
        if (rc == 0)
            rc = copy_data(in, out, path);
        if (rc == 0) {
            copy_xattrs(in, out);
            set_meta(out, &st);
        }
    } else if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlinkat(src, name, target, sizeof target - 1);
        if (n < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "read the link %s", path);
        target[n] = '\0';
        if (symlinkat(target, dst, name) != 0)
            return berth_fail_errno(BERTH_ERROR, errno, "create the link %s", path);
        struct timespec t[2] = { st.st_atim, st.st_mtim };
        if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0 || utimensat(dst, name, t, AT_SYMLINK_NOFOLLOW) != 0)
            (void)0;
    } else {
        /* device nodes, fifos, sockets: the node itself, as in the image */
        if (mknodat(dst, name, st.st_mode, st.st_rdev) != 0)
            return berth_fail_errno(BERTH_ERROR, errno, "create the node %s", path);
        if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0 || fchmodat(dst, name, st.st_mode & 07777, 0) != 0)
            (void)0;
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (rc == 0 && !S_ISDIR(st.st_mode) && st.st_nlink > 1 && c->n < 65536) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            void *p = realloc(c->links, cap * sizeof *c->links);
            if (!p)
                return berth_fail_oom();
            c->links = p;
            c->cap = cap;
        }
        char *dup = strdup(path + 1);   /* relative to the .seeding root: drop the leading "/" */
        if (!dup)
            return berth_fail_oom();
        c->links[c->n].dev = st.st_dev;
        c->links[c->n].ino = st.st_ino;
        c->links[c->n++].path = dup;
    }
    return rc;
}

static int copy_dir(seed_ctx *c, int src, int dst, const char *rel, int depth)
{
    int fd = dup(src);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return berth_fail_errno(BERTH_ERROR, errno, "list %s in the image", *rel ? rel : "/");
    }
    int rc = 0;
    struct dirent *e;
    rewinddir(d);   /* dup shares the offset: start from the top whatever read it before */
    while (rc == 0 && (errno = 0, e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            rc = copy_entry(c, src, dst, e->d_name, rel, depth);
    closedir(d);
    return rc;
}

/* Opens the folder at path inside root the way the container will see it: symlinks are
 * followed, but an absolute target starts again at root and ".." stops at root, so an image's
 * link cannot lead outside (what openat2's RESOLVE_IN_ROOT does; walked by hand because older
 * kernels and valgrind lack openat2). The container has not started, so nothing inside it can
 * change the tree meanwhile. -1 with errno (ENOENT, ENOTDIR, ELOOP) when it is not there. */
static int open_in_root(int root, const char *path)
{
    char rest[8192], *done[256];
    size_t nd = 0;
    int hops = 0, fd = -1, err = 0;
    if (snprintf(rest, sizeof rest, "%s", path) >= (int)sizeof rest) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *p = rest;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char comp[256];
        size_t cl = strcspn(p, "/");
        if (cl >= sizeof comp) {
            err = ENAMETOOLONG;
            goto out;
        }
        memcpy(comp, p, cl);
        comp[cl] = '\0';
        p += cl;
        if (strcmp(comp, ".") == 0)
            continue;
        if (strcmp(comp, "..") == 0) {
            if (nd)
                free(done[--nd]);
            continue;
        }
        /* the folder resolved so far */
        int dir = dup(root);
        for (size_t i = 0; dir >= 0 && i < nd; i++) {
            int next = openat(dir, done[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            close(dir);
            dir = next;
        }
        struct stat st;
        if (dir < 0 || fstatat(dir, comp, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
            if (dir >= 0)
                close(dir);
            goto out;
        }
        if (S_ISLNK(st.st_mode)) {
            char target[4096], next[8192];
            ssize_t n = readlinkat(dir, comp, target, sizeof target - 1);
            close(dir);
            if (n < 0 || ++hops > 40) {
                err = n < 0 ? errno : ELOOP;
                goto out;
            }
            target[n] = '\0';
            if (snprintf(next, sizeof next, "%s/%s", target, p) >= (int)sizeof next) {
                err = ENAMETOOLONG;
                goto out;
            }
            memcpy(rest, next, strlen(next) + 1);
            p = rest;
            if (target[0] == '/')
                while (nd)
                    free(done[--nd]);
            continue;
        }
        close(dir);
        if (nd == sizeof done / sizeof done[0] || !(done[nd] = strdup(comp))) {
            err = ENAMETOOLONG;
            goto out;
        }
        nd++;
    }
    fd = dup(root);
    for (size_t i = 0; fd >= 0 && i < nd; i++) {
        int next = openat(fd, done[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        err = errno;
        close(fd);
        fd = next;
    }
    if (fd >= 0 && nd == 0) {   /* the root itself: a readable descriptor of our own */
        int r = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        err = errno;
        close(fd);
        fd = r;
    }
out:
    while (nd)
        free(done[--nd]);
    if (fd < 0)
        errno = err ? err : ENOENT;
    return fd;
}

static int dir_empty(int fd)
{
    int d2 = dup(fd);
    DIR *d = d2 >= 0 ? fdopendir(d2) : NULL;
    if (!d) {
        if (d2 >= 0)
            close(d2);
        return 0;
    }
    struct dirent *e;
    int empty = 1;
    rewinddir(d);
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

int oci_volume_seed(const char *rootfs, const char *dest, const char *volume_dir)
{
    int rc = 0, root = -1, src = -1, vol = -1, tmp = -1, lock = -1;
    char seeding[4096], lockp[4096];
    seed_ctx c = { 0 };
    snprintf(seeding, sizeof seeding, "%s.seeding", volume_dir);
    snprintf(lockp, sizeof lockp, "%s.lock", volume_dir);
    /* one filler at a time (a lock file beside it: the folder itself is replaced); the second
     * finds the volume full and leaves it */
    lock = open(lockp, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "lock %s", lockp);
        goto out;
    }
    vol = open(volume_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (vol < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "volume %s", volume_dir);
        goto out;
    }
    if (!dir_empty(vol))
        goto out;
    root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "open the root file system %s", rootfs);
        goto out;
    }
    src = open_in_root(root, dest);
    if (src < 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            rc = berth_fail_errno(BERTH_ERROR, errno, "open %s in the image", dest);
        goto out;   /* nothing there to copy: the volume stays empty, like docker */
    }
    if (dir_empty(src))
        goto out;
    fs_remove_tree(seeding);    /* a crashed earlier copy */
    berth_error_clear();
    if (mkdir(seeding, 0700) != 0 || (tmp = open(seeding, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "create %s", seeding);
        goto out;
    }
    c.dst_root = tmp;
    if ((rc = copy_dir(&c, src, tmp, "", 0)) != 0)
        goto out;
    struct stat st;
    if (fstat(src, &st) == 0) {
        copy_xattrs(src, tmp);
        set_meta(tmp, &st);
    }
    /* rename(2) replaces an empty folder atomically */
    if (rename(seeding, volume_dir) != 0) {
        if (errno == ENOTEMPTY || errno == EEXIST) {   /* written meanwhile by a running container: its data wins */
            fs_remove_tree(seeding);
            berth_error_clear();
        } else {
            rc = berth_fail_errno(BERTH_ERROR, errno, "move the copy into the volume %s", volume_dir);
        }
    }
out:
    if (rc) {
        rc = berth_wrap(rc, "fill the volume at %s from the image (use :nocopy to skip)", dest);
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", berth_errmsg());
        fs_remove_tree(seeding);
        berth_fail(rc, "%s", msg);
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.links[i].path);
    free(c.links);
    if (tmp >= 0)
        close(tmp);
    if (src >= 0)
        close(src);
    if (root >= 0)
        close(root);
    if (vol >= 0)
        close(vol);
    if (lock >= 0)
        close(lock);
    return rc;
}
