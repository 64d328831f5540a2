/* The layer writer: puts checked entries below one directory. Every path is walked from the
 * directory's own descriptor one component at a time with no-follow opens, so a symlink — made
 * by this layer or already in the directory — is never traversed; existing names are unlinked
 * and re-created, never opened for writing, so no inode outside the layer is ever modified.
 * POSIX in writer_posix.c; the Windows build has a stub until the Windows backend needs it. */
#ifndef BERTH_LAYER_WRITER_H
#define BERTH_LAYER_WRITER_H
#include <stddef.h>
#include <stdint.h>

struct archive;        /* libarchive: the reader the entry data comes from */
struct archive_entry;

typedef struct layer_writer layer_writer;

typedef enum {
    WRITER_OVERLAY = 1, /* whiteouts become overlayfs whiteouts and opaque xattrs */
    WRITER_APPLY = 2    /* whiteouts remove what lower layers left in the directory */
} writer_mode;

/* dir must exist. */
int writer_open(layer_writer **out, const char *dir, writer_mode mode);
/* Overlay mode: the folders of the layers below (nearest first). A directory this layer only
 * implies (it holds "tmp/x" but no "tmp/") then takes the owner, mode and times of the same
 * directory below, so the mounted chain shows /tmp as 1777, not 0755. Best effort. */
int writer_set_lowers(layer_writer *w, const char *const *dirs, size_t n);
/* Writes one entry at the cleaned path (relative, "" = the root), reading its data from a.
 * hardlink: the cleaned hard-link target, or NULL. Policy checks (types, xattrs, sizes) are the
 * caller's; the writer enforces only where things land. Failures name the path. */
int writer_entry(layer_writer *w, struct archive *a, struct archive_entry *e, const char *path,
                 const char *hardlink);
/* Hides path (cleaned, the name without ".wh.") of lower layers. */
int writer_whiteout(layer_writer *w, const char *path);
/* Makes directory dir (cleaned) opaque: lower layers' contents are hidden. */
int writer_opaque(layer_writer *w, const char *dir);
/* Sets directories' times (after their contents were written); syncs in overlay mode. */
int writer_finish(layer_writer *w);
void writer_free(layer_writer *w);

#endif
