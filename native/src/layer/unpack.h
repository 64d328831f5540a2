/* The unpack driver behind store and apply mode (unpack.c), and a file source for it. */
#ifndef BERTH_LAYER_UNPACK_H
#define BERTH_LAYER_UNPACK_H
#include "layer/layer.h"

/* Streams one layer into the existing directory dir. overlay: overlayfs whiteouts (store mode)
 * instead of removal (apply mode). windows_base: for a Windows layer, 1 when it is a base
 * layer, 0 when not, -1 to decide from its content. Fills res (digests, counts). */
int layer_unpack_dir(layer_result *res, layer_read_fn read, void *payload, const char *media_type,
                     const char *dir, int overlay, int windows_base, const layer_options *opts);

/* A layer_read_fn over a file ("-": standard input). */
int layer_file_source_open(void **out, const char *path);
int layer_file_source_read(void *payload, const void **buf, size_t *len);
void layer_file_source_close(void *source);

#endif
