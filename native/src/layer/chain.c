/* Chain ids: the name of a layer together with everything below it (OCI image spec, config.md). */
#include "layer/layer.h"
#include "core/error.h"
#include <stdio.h>
#include <string.h>

int layer_chain_id(berth_digest *out, const berth_digest *parent, const berth_digest *diff_id)
{
    if (!diff_id)
        return berth_fail(BERTH_EINVAL, "chain id: no diff_id given");
    if (!parent) {
        *out = *diff_id;
        return 0;
    }
    char text[2 * DIGEST_TEXT_MAX + 2];
    int n = snprintf(text, sizeof text, "%s %s", parent->text, diff_id->text);
    return digest_of_buffer(out, text, (size_t)n);
}
