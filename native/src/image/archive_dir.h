/* Reading files of an OCI layout directory without following links: every component of the
 * name is opened with no-follow semantics (POSIX: openat + O_NOFOLLOW; Windows: reparse points
 * refused), so a blob that is a symlink out of the layout is refused, never read.
 * archive_dir_posix.c / archive_dir_win32.c. Only Berth's json-free headers here. */
#ifndef BERTH_IMAGE_ARCHIVE_DIR_H
#define BERTH_IMAGE_ARCHIVE_DIR_H
#include <stddef.h>
#include <stdint.h>

typedef struct archive_dir archive_dir;
typedef struct archive_dir_file archive_dir_file;

/* 1 when path is a directory (links followed: the user named it), else 0. */
int archive_dir_is_dir(const char *path);
int archive_dir_open(archive_dir **out, const char *path);
void archive_dir_close(archive_dir *d);
/* rel: a clean relative name ("blobs/sha256/<hex>"). BERTH_ENOTFOUND when absent; BERTH_EUNSAFE
 * when a component is a link or the file is not a regular file. */
int archive_dir_file_open(archive_dir_file **out, archive_dir *d, const char *rel, int64_t *size_out);
/* *got 0 at the end. */
int archive_dir_file_read(archive_dir_file *f, void *buf, size_t len, size_t *got);
void archive_dir_file_close(archive_dir_file *f);

#endif
