/* Layer media types → compression, and the magic numbers that must agree with them. */
#include "layer/layer.h"
#include "layer/stream.h"
#include "core/error.h"
#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int layer_media_compression(layer_compression *out, const char *mt)
{
    *out = LAYER_COMPRESSION_DETECT;
    if (!mt || !*mt)
        return 0;
    /* OCI: application/vnd.oci.image.layer[.nondistributable].v1.tar[+gzip|+zstd]
     * Docker: application/vnd.docker.image.rootfs[.foreign].diff.tar[.gzip|.zstd] */
    int oci = strncmp(mt, "application/vnd.oci.image.layer.", 32) == 0;
    int docker = strncmp(mt, "application/vnd.docker.image.rootfs.", 36) == 0;
    if (oci || docker) {
        if (ends_with(mt, ".tar"))
            *out = LAYER_COMPRESSION_NONE;
        else if (ends_with(mt, ".tar+gzip") || ends_with(mt, ".tar.gzip"))
            *out = LAYER_COMPRESSION_GZIP;
        else if (ends_with(mt, ".tar+zstd") || ends_with(mt, ".tar.zstd"))
            *out = LAYER_COMPRESSION_ZSTD;
        if (*out != LAYER_COMPRESSION_DETECT)
            return 0;
    }
    /* Plain names, handy for berth layer apply --media-type. */
    if (strcmp(mt, "tar") == 0) { *out = LAYER_COMPRESSION_NONE; return 0; }
    if (strcmp(mt, "gzip") == 0 || strcmp(mt, "tar+gzip") == 0) { *out = LAYER_COMPRESSION_GZIP; return 0; }
    if (strcmp(mt, "zstd") == 0 || strcmp(mt, "tar+zstd") == 0) { *out = LAYER_COMPRESSION_ZSTD; return 0; }
    return berth_fail(BERTH_EUNSUPPORTED, "layer media type \"%s\" is not supported (expected an OCI or "
                      "Docker layer type: tar, tar+gzip or tar+zstd)", mt);
}

const char *layer_compression_name(layer_compression c)
{
    switch (c) {
    case LAYER_COMPRESSION_NONE: return "none";
    case LAYER_COMPRESSION_GZIP: return "gzip";
    case LAYER_COMPRESSION_ZSTD: return "zstd";
    default: return "detect";
    }
}

layer_compression stream_sniff(const unsigned char *p, size_t n, const char **other)
{
    *other = NULL;
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return LAYER_COMPRESSION_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return LAYER_COMPRESSION_ZSTD;
    if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
        *other = "xz";
    else if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        *other = "bzip2";
    else if (n >= 4 && p[0] == 0x04 && p[1] == 0x22 && p[2] == 0x4d && p[3] == 0x18)
        *other = "lz4";
    return LAYER_COMPRESSION_NONE;
}
