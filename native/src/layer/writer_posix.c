/* The layer writer on POSIX: each entry is created with openat/mkdirat/symlinkat/linkat/mknodat
 * relative to its parent's descriptor, which walk_posix.c opened without following anything;
 * metadata goes through the new file's own descriptor (or by name with AT_SYMLINK_NOFOLLOW). */
#include "layer/writer_posix.h"
#include "core/error.h"
#include "layer/path.h"
#include "layer/archive_lib.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Splits a cleaned path into its parent (copied into parent) and leaf. */
static const char *split(char *parent, const char *path)
{
    const char *leaf = layer_path_leaf(path);
    size_t n = leaf > path ? (size_t)(leaf - path - 1) : 0;
    memcpy(parent, path, n);
    parent[n] = '\0';
    return leaf;
}

/* Makes room for a new entry at (pfd, leaf): a directory stays when keep_dir, anything else is
 * unlinked (never opened: it may be a hard link to a file we must not touch). */
static int clear_leaf(layer_writer *w, int pfd, const char *leaf, const char *path, int keep_dir,
                      int *was_dir, int *was_whiteout)
{
    struct stat st;
    *was_dir = 0;
    if (was_whiteout)
        *was_whiteout = 0;
    if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return 0;
        return berth_fail_errno(BERTH_ERROR, errno, "inspect \"%s\"", path);
    }
    if (S_ISDIR(st.st_mode)) {
        if (keep_dir) {
            *was_dir = 1;
            return 0;
        }
        return remove_at(pfd, leaf, path, 0);
    }
    if (was_whiteout && w->mode == WRITER_OVERLAY && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
        *was_whiteout = 1;
    if (unlinkat(pfd, leaf, 0) != 0 && errno != ENOENT)
        return berth_fail_errno(BERTH_ERROR, errno, "replace \"%s\"", path);
    return 0;
}

/* ---- metadata ---- */

static void entry_times(struct timespec ts[2], struct archive_entry *e)
{
    ts[1].tv_sec = archive_entry_mtime(e);
    ts[1].tv_nsec = archive_entry_mtime_is_set(e) ? archive_entry_mtime_nsec(e) : 0;
    if (archive_entry_atime_is_set(e)) {
        ts[0].tv_sec = archive_entry_atime(e);
        ts[0].tv_nsec = archive_entry_atime_nsec(e);
    } else {
        ts[0] = ts[1];
    }
    if (ts[0].tv_nsec < 0 || ts[0].tv_nsec > 999999999)
        ts[0].tv_nsec = 0;
    if (ts[1].tv_nsec < 0 || ts[1].tv_nsec > 999999999)
        ts[1].tv_nsec = 0;
}

static int xattr_error_is_benign(int err)
{
    /* The file system cannot hold it (tmpfs and user.*, no SELinux): the layer still applies. */
    return err == ENOTSUP || err == EOPNOTSUPP || err == EPERM;
}

/* Owner, mode (after the owner: chown clears setuid), xattrs (after chown: it clears file
 * capabilities), through an fd we opened ourselves. */
static int meta_fd(layer_writer *w, int fd, struct archive_entry *e, const char *path)
{
    if (w->as_root && fchown(fd, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e)) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "set the owner of \"%s\"", path);
    if (fchmod(fd, (mode_t)(archive_entry_perm(e) & 07777)) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "set the mode of \"%s\"", path);
    const char *name;
    const void *value;
    size_t size;
    archive_entry_xattr_reset(e);
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        if (strcmp(name, "security.selinux") == 0)
            continue;  /* labels belong to the host's policy, not the image */
        if (fsetxattr(fd, name, value, size, 0) != 0 && !xattr_error_is_benign(errno))
            return berth_fail_errno(BERTH_ERROR, errno, "set xattr %s on \"%s\"", name, path);
    }
    return 0;
}

int defer_times(layer_writer *w, const char *path, size_t len, const struct timespec ts[2])
{
    if (w->n_dirs == w->cap_dirs) {
        size_t ncap = w->cap_dirs ? w->cap_dirs * 2 : 256;
        deferred_dir *nd = realloc(w->dirs, ncap * sizeof *nd);
        if (!nd)
            return berth_fail_oom();
        w->dirs = nd;
        w->cap_dirs = ncap;
    }
    deferred_dir *d = &w->dirs[w->n_dirs];
    d->path = strndup(path, len);
    if (!d->path)
        return berth_fail_oom();
    d->ts[0] = ts[0];
    d->ts[1] = ts[1];
    d->mode = -1;
    w->n_dirs++;
    return 0;
}

static int defer_dir_times(layer_writer *w, const char *path, struct archive_entry *e)
{
    struct timespec ts[2];
    entry_times(ts, e);
    return defer_times(w, path, strlen(path), ts);
}

/* ---- entries ---- */

static int write_dir(layer_writer *w, int pfd, const char *leaf, const char *path, struct archive_entry *e)
{
    int was_dir = 0, was_whiteout = 0, fd = -1, rc;
    if (*path) {
        if ((rc = clear_leaf(w, pfd, leaf, path, 1, &was_dir, &was_whiteout)) != 0)
            return rc;
        if (!was_dir && mkdirat(pfd, leaf, 0700) != 0)
            return berth_fail_errno(BERTH_ERROR, errno, "create directory \"%s\"", path);
        fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    } else {
        fd = dup(w->root_fd);   /* "./": the layer root's own metadata */
    }
    if (fd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "open directory \"%s\"", path);
    rc = meta_fd(w, fd, e, *path ? path : ".");
    /* Without root, a read-only directory would refuse its own entries: keep u+wx until the
     * end, when the deferred pass sets its mode. */
    int final_mode = (int)(archive_entry_perm(e) & 07777);
    int later = rc == 0 && !w->as_root && (final_mode & 0700) != 0700;
    if (later && fchmod(fd, (mode_t)(final_mode | 0700)) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "set the mode of \"%s\"", path);
    /* ".wh.x" then "x/" in one layer: the new x must not show what lower layers had. */
    if (rc == 0 && was_whiteout && fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "mark \"%s\" opaque", path);
    close(fd);
    if (rc == 0 && (rc = defer_dir_times(w, path, e)) == 0 && later)
        w->dirs[w->n_dirs - 1].mode = final_mode;
    return rc;
}

static int all_zero(const void *buf, size_t n)
{
    const unsigned char *p = buf;
    if (n < 4096)
        return 0;  /* small blocks: not worth a hole */
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static int write_file(layer_writer *w, int pfd, const char *leaf, const char *path, struct archive *a,
                      struct archive_entry *e)
{
    int was_dir, rc;
    /* Create first (the common case: a new name); only an existing name needs clearing. */
    int fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        if ((rc = clear_leaf(w, pfd, leaf, path, 0, &was_dir, NULL)) != 0)
            return rc;
        fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    }
    if (fd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "create \"%s\"", path);
    int64_t end = 0;
    for (;;) {
        const void *buf;
        size_t size;
        la_int64_t offset;
        int r = archive_read_data_block(a, &buf, &size, &offset);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            rc = berth_fail(BERTH_ERROR, "read the data of \"%s\": %s", path, archive_error_string(a));
            goto out;
        }
        /* Sparse files arrive as blocks at offsets: the gaps stay holes. All-zero blocks
         * become holes too: the same bytes, and a bomb of zeros under the size limit does
         * not fill the disk. */
        if (all_zero(buf, size)) {
            if ((int64_t)(offset + (la_int64_t)size) > end)
                end = offset + (la_int64_t)size;
            continue;
        }
        const char *p = buf;
        while (size > 0) {
            ssize_t n = pwrite(fd, p, size, (off_t)offset);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                rc = berth_fail_errno(BERTH_ERROR, n < 0 ? errno : EIO, "write \"%s\"", path);
                goto out;
            }
            p += n;
            size -= (size_t)n;
            offset += n;
        }
        if (offset > end)
            end = offset;
    }
    int64_t size_want = archive_entry_size(e) > end ? archive_entry_size(e) : end;
    if (ftruncate(fd, (off_t)size_want) != 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "extend \"%s\"", path);
        goto out;
    }
    if ((rc = meta_fd(w, fd, e, path)) != 0)
        goto out;
    struct timespec ts[2];
    entry_times(ts, e);
    if (futimens(fd, ts) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "set the times of \"%s\"", path);
out:
    close(fd);
    return rc;
}

/* Metadata of something we cannot open without side effects (symlink, fifo, device): by name,
 * relative to its parent, never following. */
static int meta_at(layer_writer *w, int pfd, const char *leaf, const char *path, struct archive_entry *e, int chmod_too)
{
    if (w->as_root && fchownat(pfd, leaf, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e), AT_SYMLINK_NOFOLLOW) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "set the owner of \"%s\"", path);
    /* The node was created by us a moment ago in a directory we hold: fchmodat cannot be
     * redirected (it is not a symlink). */
    if (chmod_too && fchmodat(pfd, leaf, (mode_t)(archive_entry_perm(e) & 07777), 0) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "set the mode of \"%s\"", path);
    char proc[64 + LAYER_NAME_MAX];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d/%s", pfd, leaf);
    const char *name;
    const void *value;
    size_t size;
    archive_entry_xattr_reset(e);
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
        if (strcmp(name, "security.selinux") == 0)
            continue;
        if (lsetxattr(proc, name, value, size, 0) != 0 && !xattr_error_is_benign(errno))
            return berth_fail_errno(BERTH_ERROR, errno, "set xattr %s on \"%s\"", name, path);
    }
    struct timespec ts[2];
    entry_times(ts, e);
    if (utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "set the times of \"%s\"", path);
    return 0;
}

static int write_symlink(layer_writer *w, int pfd, const char *leaf, const char *path, struct archive_entry *e)
{
    const char *target = archive_entry_symlink(e);
    if (!target || !*target)
        return berth_fail(BERTH_EUNSAFE, "symlink \"%s\" has no target", path);
    int was_dir, rc;
    if ((rc = clear_leaf(w, pfd, leaf, path, 0, &was_dir, NULL)) != 0)
        return rc;
    if (symlinkat(target, pfd, leaf) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "create symlink \"%s\"", path);
    return meta_at(w, pfd, leaf, path, e, 0);
}

static int write_node(layer_writer *w, int pfd, const char *leaf, const char *path, struct archive_entry *e)
{
    int was_dir, rc;
    if ((rc = clear_leaf(w, pfd, leaf, path, 0, &was_dir, NULL)) != 0)
        return rc;
    mode_t type = (mode_t)archive_entry_filetype(e);
    if (mknodat(pfd, leaf, type | 0600, type == S_IFIFO ? 0 : archive_entry_rdev(e)) != 0)
        return berth_fail_errno(BERTH_ERROR, errno, "create node \"%s\"", path);
    return meta_at(w, pfd, leaf, path, e, 1);
}

/* Does symlink text, stored at dir (cleaned), point outside the root? Absolute targets and
 * targets that climb above the root do. */
static int symlink_escapes(const char *dir, const char *target)
{
    if (target[0] == '/')
        return 1;
    long depth = 0;
    for (const char *p = dir; *p; p++)
        if (p == dir || *p == '/')
            depth++;
    const char *p = target;
    while (*p) {
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - s);
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (--depth < 0)
                return 1;
        } else if (n && !(n == 1 && s[0] == '.')) {
            depth++;
        }
        if (*p)
            p++;
    }
    return 0;
}

static int write_hardlink(layer_writer *w, int pfd, const char *leaf, const char *path, const char *target)
{
    if (strcmp(path, target) == 0)
        return 0;  /* a link to itself: nothing to do */
    char tparent[LAYER_PATH_MAX];
    const char *tleaf = split(tparent, target);
    if (!*target)
        return berth_fail(BERTH_EUNSAFE, "hard link \"%s\" points at the layer root", path);
    int tfd = -1, rc = open_path_dir(w, tparent, &tfd);
    if (rc == 1)
        return berth_fail(BERTH_EUNSAFE, "hard link \"%s\" → \"%s\": the target does not exist", path, target);
    if (rc != 0)
        return berth_wrap(rc, "hard link \"%s\" → \"%s\"", path, target);
    struct stat st;
    if (fstatat(tfd, tleaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        rc = errno == ENOENT ? berth_fail(BERTH_EUNSAFE, "hard link \"%s\" → \"%s\": the target does not exist", path, target)
                             : berth_fail_errno(BERTH_ERROR, errno, "hard link \"%s\" → \"%s\"", path, target);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = berth_fail(BERTH_EUNSAFE, "hard link \"%s\" → \"%s\": the target is a directory", path, target);
        goto out;
    }
    if (S_ISLNK(st.st_mode)) {
        char text[LAYER_PATH_MAX];
        ssize_t n = readlinkat(tfd, tleaf, text, sizeof text - 1);
        if (n < 0) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "read symlink \"%s\"", target);
            goto out;
        }
        text[n] = '\0';
        if (symlink_escapes(tparent, text)) {
            rc = berth_fail(BERTH_EUNSAFE, "hard link \"%s\" → \"%s\": the target is a symlink pointing "
                            "outside the layer (%s)", path, target, text);
            goto out;
        }
    }
    int was_dir;
    if ((rc = clear_leaf(w, pfd, leaf, path, 0, &was_dir, NULL)) != 0)
        goto out;
    /* flags 0: a symlink target is linked itself, never followed. The link shares the
     * target's inode, so its metadata is the target's: we never chmod/chown through it. */
    if (linkat(tfd, tleaf, pfd, leaf, 0) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "hard link \"%s\" → \"%s\"", path, target);
out:
    close(tfd);
    return rc;
}

/* ---- public (internal) API ---- */

int writer_open(layer_writer **out, const char *dir, writer_mode mode)
{
    layer_writer *w = calloc(1, sizeof *w);
    if (!w)
        return berth_fail_oom();
    w->mode = mode;
    w->as_root = geteuid() == 0;
    w->root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w->root_fd < 0) {
        int rc = berth_fail_errno(errno == ENOENT ? BERTH_ENOTFOUND : BERTH_ERROR, errno, "open directory %s", dir);
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

int writer_set_lowers(layer_writer *w, const char *const *dirs, size_t n)
{
    if (w->mode != WRITER_OVERLAY || n == 0)
        return 0;
    w->lowers = calloc(n, sizeof *w->lowers);
    if (!w->lowers)
        return berth_fail_oom();
    for (size_t i = 0; i < n; i++) {
        int fd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return berth_fail_errno(BERTH_ERROR, errno, "open lower layer %s", dirs[i]);
        w->lowers[w->n_lowers++] = fd;
    }
    return 0;
}

int writer_entry(layer_writer *w, struct archive *a, struct archive_entry *e, const char *path, const char *hardlink)
{
    char parent[LAYER_PATH_MAX];
    const char *leaf = split(parent, path);
    int type = (int)archive_entry_filetype(e);
    if (!*path) {
        if (hardlink || type != AE_IFDIR)
            return berth_fail(BERTH_EUNSAFE, "the layer root (\".\") can only be a directory");
        return write_dir(w, w->root_fd, "", "", e);
    }
    int pfd, owned, rc = walk(w, parent, 1, &pfd, &owned);
    if (rc != 0)
        return rc;
    if (hardlink)
        rc = write_hardlink(w, pfd, leaf, path, hardlink);
    else if (type == AE_IFDIR)
        rc = write_dir(w, pfd, leaf, path, e);
    else if (type == AE_IFREG)
        rc = write_file(w, pfd, leaf, path, a, e);
    else if (type == AE_IFLNK)
        rc = write_symlink(w, pfd, leaf, path, e);
    else if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO)
        rc = write_node(w, pfd, leaf, path, e);
    else
        rc = berth_fail(BERTH_EUNSAFE, "\"%s\" has an unsupported file type (0%o)", path, (unsigned)type);
    if (owned)
        close(pfd);
    return rc ? rc : set_add_path(w, path);
}

int writer_whiteout(layer_writer *w, const char *path)
{
    char parent[LAYER_PATH_MAX];
    const char *leaf = split(parent, path);
    int pfd, owned, rc = walk(w, parent, w->mode == WRITER_OVERLAY, &pfd, &owned);
    if (rc == 1)
        return 0;  /* apply mode: nothing below to hide */
    if (rc != 0)
        return rc;
    struct stat st;
    if (w->mode == WRITER_OVERLAY) {
        /* A name this layer wrote already hides the lower one. */
        if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                rc = berth_fail_errno(BERTH_ERROR, errno, "inspect \"%s\"", path);
            else if (mknodat(pfd, leaf, S_IFCHR | 0, makedev(0, 0)) != 0)
                rc = berth_fail_errno(BERTH_ERROR, errno, "create the whiteout for \"%s\" (needs root)", path);
        }
    } else if (!set_has(w, path)) {
        rc = remove_at(pfd, leaf, path, 0);
    }
    if (owned)
        close(pfd);
    return rc;
}

int writer_opaque(layer_writer *w, const char *dir)
{
    int fd, owned, rc = walk(w, dir, w->mode == WRITER_OVERLAY, &fd, &owned);
    if (rc == 1)
        return set_add_path(w, dir);
    if (rc != 0)
        return rc;
    if (w->mode == WRITER_OVERLAY) {
        if (fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "mark \"%s\" opaque (needs root)", *dir ? dir : ".");
    } else {
        char path[LAYER_PATH_MAX];
        snprintf(path, sizeof path, "%s", dir);
        rc = empty_except_written(w, fd, path, strlen(path), 0);
    }
    if (owned)
        close(fd);
    return rc ? rc : set_add_path(w, dir);
}

int writer_finish(layer_writer *w)
{
    int rc = 0;
    stack_pop_to(w, 0);
    /* Directory times last: writing their contents changed them. In entry order, so a
     * directory's own entry wins over times inherited when it was implied earlier. */
    for (size_t i = 0; i < w->n_dirs && rc == 0; i++) {
        deferred_dir *d = &w->dirs[i];
        int fd, r = open_path_dir(w, d->path, &fd);
        if (r == 1)
            continue;  /* removed later by a whiteout */
        if (r != 0)
            return r;
        if (d->mode >= 0 && fchmod(fd, (mode_t)d->mode) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "set the mode of \"%s\"", *d->path ? d->path : ".");
        else if (futimens(fd, d->ts) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "set the times of \"%s\"", *d->path ? d->path : ".");
        close(fd);
    }
    stack_pop_to(w, 0);
    if (rc == 0 && w->mode == WRITER_OVERLAY && syncfs(w->root_fd) != 0)
        rc = berth_fail_errno(BERTH_ERROR, errno, "sync the unpacked layer");
    return rc;
}

void writer_free(layer_writer *w)
{
    if (!w)
        return;
    stack_pop_to(w, 0);
    for (size_t i = 0; i < w->n_dirs; i++)
        free(w->dirs[i].path);
    free(w->dirs);
    free(w->set);
    for (size_t i = 0; i < w->n_lowers; i++)
        close(w->lowers[i]);
    free(w->lowers);
    if (w->root_fd >= 0)
        close(w->root_fd);
    free(w);
}
