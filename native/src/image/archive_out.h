/* Where berth_image_save writes: a tar file, made under a temporary name beside the target and
 * renamed into place only when complete (a reader never sees half an archive), or a directory
 * (an OCI layout: blobs are content-addressed files, each written to a temporary name and
 * renamed; index.json is written last, atomically). Streams: memory is flat. */
#ifndef BERTH_IMAGE_ARCHIVE_OUT_H
#define BERTH_IMAGE_ARCHIVE_OUT_H
#include <stddef.h>
#include <stdint.h>

typedef struct archive_out archive_out;

/* Source of an entry's bytes: set *buf and *len to the next chunk, *len 0 at the end. */
typedef int (*archive_out_read_fn)(void *payload, const void **buf, size_t *len);

int archive_out_open(archive_out **out, const char *path, int as_dir);
int archive_out_is_dir(const archive_out *o);
/* 1 when name was written already (in this archive, or present in the directory). */
int archive_out_has(archive_out *o, const char *name);
int archive_out_mem(archive_out *o, const char *name, const void *data, size_t len);
/* size bytes exactly from read (the tar header needs the size first). */
int archive_out_stream(archive_out *o, const char *name, uint64_t size, archive_out_read_fn read, void *payload);
/* Makes the result visible (tar: close, fsync, rename). Frees o. */
int archive_out_commit(archive_out *o);
/* Removes a half-written tar (a directory keeps the complete blobs it got). Frees o; NULL is fine. */
void archive_out_abort(archive_out *o);

#endif
