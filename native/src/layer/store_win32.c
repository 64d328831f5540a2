/* Store mode on Windows hosts: not implemented yet (see writer_win32.c); the names and the
 * presence check are the same as on POSIX. */
#include "layer/layer.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/handle.h"
#include <stdio.h>

char *layer_dir(berth_t *b, const berth_digest *chain_id)
{
    char rel[128];
    snprintf(rel, sizeof rel, "layers\\%s", digest_hex(chain_id));
    return fs_join(b->root, rel);
}

int layer_present(berth_t *b, const berth_digest *chain_id)
{
    char *dir = layer_dir(b, chain_id);
    int present = dir && fs_exists(dir);
    berth_free(dir);
    return present;
}

int layer_unpack_to_store(layer_result *out, berth_t *b, layer_read_fn read, void *read_payload,
                          const char *media_type, const berth_digest *expected_diff_id,
                          const berth_digest *parent_chain, const layer_options *opts)
{
    (void)out; (void)b; (void)read; (void)read_payload; (void)media_type; (void)expected_diff_id;
    (void)parent_chain; (void)opts;
    return berth_fail(BERTH_EUNSUPPORTED, "unpacking layers on a Windows host is not implemented yet");
}

int layer_unpack_file_to_store(layer_result *out, berth_t *b, const char *blob_path, const char *media_type,
                               const berth_digest *expected_diff_id, const berth_digest *parent_chain,
                               const layer_options *opts)
{
    (void)blob_path;
    return layer_unpack_to_store(out, b, NULL, NULL, media_type, expected_diff_id, parent_chain, opts);
}

int layer_clean_tmp(berth_t *b) { (void)b; return 0; }
