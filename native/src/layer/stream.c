#include "layer/stream.h"
#include "core/digest.h"
#include "core/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAR_CHUNK (128 * 1024)
#define PEEK_MIN 8
#define PROGRESS_STEP (1u << 20)

struct layer_stream {
    layer_read_fn read;
    void *payload;
    const layer_options *opts;
    unsigned char *prefix;   /* the first bytes, read to check the magic, served first */
    size_t prefix_len;
    int prefix_done;
    int src_eof;
    digest_ctx *zdigest, *tdigest;
    uint64_t zbytes, tbytes, max_bytes, next_progress;
    layer_compression compression;
    struct archive *dec;     /* decompressor (NULL for plain tar) */
    struct archive *tar;
    unsigned char *tbuf;
    int err;
    char errmsg[1024];
    /* gzip: libarchive does not check the members' CRC32, so we do (see gzip_trailer_check). */
    uint32_t crc;
    uint32_t crc_tab[8][256];
    unsigned char ztail[8];
    shadow_reader *sh;
};

/* CRC-32 (IEEE, as gzip), slice-by-8; the tables live in the stream: no process-wide state. */
static void crc_init(layer_stream *s)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        s->crc_tab[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            s->crc_tab[t][i] = (s->crc_tab[t - 1][i] >> 8) ^ s->crc_tab[0][s->crc_tab[t - 1][i] & 0xff];
}

static void crc_update(layer_stream *s, const unsigned char *p, size_t n)
{
    uint32_t c = ~s->crc;
    while (n >= 8) {
        uint32_t a = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        c = s->crc_tab[7][a & 0xff] ^ s->crc_tab[6][(a >> 8) & 0xff] ^ s->crc_tab[5][(a >> 16) & 0xff] ^
            s->crc_tab[4][a >> 24] ^ s->crc_tab[3][p[4]] ^ s->crc_tab[2][p[5]] ^ s->crc_tab[1][p[6]] ^ s->crc_tab[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n--)
        c = s->crc_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    s->crc = ~c;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The trailer of the last gzip member holds its CRC-32 and length. When that length is the
 * whole output, the stream is one member (the usual case) and its CRC must match; several
 * members (eStargz, concatenated gzip) cannot be checked this way and rely on the digests. */
static int gzip_trailer_check(layer_stream *s)
{
    if (s->compression != LAYER_COMPRESSION_GZIP || s->zbytes < 18)
        return 0;
    if (le32(s->ztail + 4) != (uint32_t)s->tbytes || le32(s->ztail) == s->crc)
        return 0;
    return berth_fail(BERTH_EINVAL, "the gzip stream is corrupt: its CRC-32 is %08x but the data hashes to %08x — "
                      "the blob is damaged; delete it and pull again", le32(s->ztail), s->crc);
}

static int fail_saved(layer_stream *s, int rc)
{
    s->err = rc;
    snprintf(s->errmsg, sizeof s->errmsg, "%s", berth_errmsg());
    return -1;
}

/* ---- source ---- */

static int src_next(layer_stream *s, const void **buf, size_t *len)
{
    *len = 0;
    if (!s->prefix_done) {
        s->prefix_done = 1;
        *buf = s->prefix;
        *len = s->prefix_len;
        if (*len)
            return 0;
    }
    if (s->src_eof)
        return 0;
    int rc = s->read(s->payload, buf, len);
    if (rc != 0)
        return fail_saved(s, rc < 0 ? rc : BERTH_ERROR);
    if (*len == 0) {
        s->src_eof = 1;
        return 0;
    }
    if ((rc = digest_update(s->zdigest, *buf, *len)) != 0)
        return fail_saved(s, rc);
    s->zbytes += *len;
    /* Keep the last 8 bytes seen (the gzip trailer once the stream ends). */
    if (*len >= 8) {
        memcpy(s->ztail, (const unsigned char *)*buf + *len - 8, 8);
    } else {
        memmove(s->ztail, s->ztail + *len, 8 - *len);
        memcpy(s->ztail + 8 - *len, *buf, *len);
    }
    if (s->opts->progress && s->zbytes >= s->next_progress) {
        s->next_progress = s->zbytes + PROGRESS_STEP;
        berth_progress p = { "unpack", s->opts->id, s->zbytes, s->opts->total, NULL };
        if (s->opts->progress(&p, s->opts->progress_payload) != 0)
            return fail_saved(s, berth_fail(BERTH_ECANCELED, "unpack canceled by the caller"));
    }
    return 0;
}

static la_ssize_t dec_read_cb(struct archive *a, void *client, const void **buf)
{
    layer_stream *s = client;
    size_t len;
    if (src_next(s, buf, &len) != 0) {
        archive_set_error(a, -1, "%s", s->errmsg);
        return -1;
    }
    return (la_ssize_t)len;
}

/* ---- the tar side ---- */

/* Next chunk of the tar stream: decompressed, hashed, counted against the size policy. */
static la_ssize_t tar_next(layer_stream *s, const void **buf)
{
    if (s->err)
        return -1;
    size_t n = 0;
    if (s->dec) {
        la_ssize_t r = archive_read_data(s->dec, s->tbuf, TAR_CHUNK);
        if (r < 0) {
            if (!s->err)
                fail_saved(s, berth_fail(BERTH_EINVAL, "the %s stream is corrupt or truncated: %s — the blob is "
                                         "damaged; delete it and pull again",
                                         layer_compression_name(s->compression), archive_error_string(s->dec)));
            return -1;
        }
        n = (size_t)r;
        *buf = s->tbuf;
    } else if (src_next(s, buf, &n) != 0) {
        return -1;
    }
    if (n == 0)
        return 0;
    if (s->tbytes + n > s->max_bytes) {
        fail_saved(s, berth_fail(BERTH_EUNSAFE, "the uncompressed layer exceeds the size limit of %llu bytes "
                                 "(a decompression bomb, or raise the limit)", (unsigned long long)s->max_bytes));
        return -1;
    }
    s->tbytes += n;
    int rc = digest_update(s->tdigest, *buf, n);
    if (rc != 0)
        return fail_saved(s, rc);
    if (s->compression == LAYER_COMPRESSION_GZIP)
        crc_update(s, *buf, n);
    shadow_feed(s->sh, *buf, n);
    return (la_ssize_t)n;
}

static la_ssize_t tar_read_cb(struct archive *a, void *client, const void **buf)
{
    layer_stream *s = client;
    la_ssize_t n = tar_next(s, buf);
    if (n < 0)
        archive_set_error(a, -1, "%s", s->errmsg);
    return n;
}

int stream_open(layer_stream **out, layer_read_fn read, void *payload, const char *media_type, const layer_options *opts)
{
    layer_compression declared;
    int rc = layer_media_compression(&declared, media_type);
    if (rc != 0)
        return rc;
    if ((rc = archive_lib_load()) != 0)
        return rc;
    layer_stream *s = calloc(1, sizeof *s);
    if (!s)
        return berth_fail_oom();
    s->read = read;
    s->payload = payload;
    s->opts = opts;
    s->max_bytes = opts->max_bytes ? opts->max_bytes : LAYER_DEFAULT_MAX_BYTES;
    s->prefix_done = 1;
    if (!(s->sh = shadow_new())) {
        free(s);
        return berth_fail_oom();
    }
    if ((rc = digest_begin(&s->zdigest)) != 0 || (rc = digest_begin(&s->tdigest)) != 0)
        goto fail;
    /* Collect the first bytes (chunks may be tiny) to check the magic. */
    while (s->prefix_len < PEEK_MIN && !s->src_eof) {
        const void *buf;
        size_t len;
        if (src_next(s, &buf, &len) != 0) {
            rc = berth_fail(s->err, "%s", s->errmsg);
            goto fail;
        }
        unsigned char *np = realloc(s->prefix, s->prefix_len + len + 1);
        if (!np) {
            rc = berth_fail_oom();
            goto fail;
        }
        s->prefix = np;
        memcpy(s->prefix + s->prefix_len, buf, len);
        s->prefix_len += len;
    }
    s->prefix_done = 0;
    const char *other;
    layer_compression seen = stream_sniff(s->prefix, s->prefix_len, &other);
    if (declared == LAYER_COMPRESSION_DETECT && other) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "the layer is %s-compressed; only plain, gzip and zstd layers are supported", other);
        goto fail;
    }
    if (declared != LAYER_COMPRESSION_DETECT && (seen != declared || other)) {
        rc = berth_fail(BERTH_EINVAL, "media type \"%s\" says %s, but the stream %s — the manifest and the blob "
                        "disagree; refusing to guess", media_type, layer_compression_name(declared),
                        s->prefix_len == 0 ? "is empty"
                        : other ? (strcmp(other, "xz") == 0 ? "starts with xz magic" : "starts with another compressor's magic")
                        : seen == LAYER_COMPRESSION_GZIP ? "starts with gzip magic (1f 8b)"
                        : seen == LAYER_COMPRESSION_ZSTD ? "starts with zstd magic (28 b5 2f fd)"
                                                         : "has no compression magic (plain data)");
        goto fail;
    }
    s->compression = seen;
    if (seen == LAYER_COMPRESSION_GZIP)
        crc_init(s);
    if (seen != LAYER_COMPRESSION_NONE) {
        s->dec = archive_read_new();
        s->tbuf = malloc(TAR_CHUNK);
        if (!s->dec || !s->tbuf) {
            rc = berth_fail_oom();
            goto fail;
        }
        /* Built-in decoders only (ARCHIVE_OK): never an external program. */
        int r = seen == LAYER_COMPRESSION_GZIP ? archive_read_support_filter_gzip(s->dec)
                                               : archive_read_support_filter_zstd(s->dec);
        if (r != ARCHIVE_OK) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "this libarchive has no built-in %s decoder", layer_compression_name(seen));
            goto fail;
        }
        struct archive_entry *e;
        if (archive_read_support_format_raw(s->dec) != ARCHIVE_OK ||
            archive_read_open(s->dec, s, NULL, dec_read_cb, NULL) != ARCHIVE_OK ||
            archive_read_next_header(s->dec, &e) != ARCHIVE_OK) {
            rc = s->err ? berth_fail(s->err, "%s", s->errmsg)
                        : berth_fail(BERTH_EINVAL, "start %s decompression: %s", layer_compression_name(seen),
                                     archive_error_string(s->dec));
            goto fail;
        }
    }
    s->tar = archive_read_new();
    if (!s->tar) {
        rc = berth_fail_oom();
        goto fail;
    }
    archive_read_support_format_tar(s->tar);
    archive_read_support_format_empty(s->tar);
    if (archive_read_open(s->tar, s, NULL, tar_read_cb, NULL) != ARCHIVE_OK) {
        rc = s->err ? berth_fail(s->err, "%s", s->errmsg)
                    : berth_fail(BERTH_EINVAL, "the layer is not a tar stream: %s", archive_error_string(s->tar));
        goto fail;
    }
    *out = s;
    return 0;
fail:
    stream_free(s);
    return rc;
}

struct archive *stream_tar(layer_stream *s) { return s->tar; }
layer_compression stream_compression(const layer_stream *s) { return s->compression; }

int stream_failed(layer_stream *s)
{
    if (s->err)
        berth_fail(s->err, "%s", s->errmsg);
    return s->err;
}

int stream_finish(layer_stream *s, layer_result *res)
{
    /* The diff_id covers the whole tar stream, including the padding after the end marker,
     * and the digest the whole blob: read both to their ends (still under the size limit). */
    const void *buf;
    la_ssize_t n;
    while ((n = tar_next(s, &buf)) > 0)
        ;
    if (n < 0)
        return stream_failed(s);
    size_t len;
    do {
        if (src_next(s, &buf, &len) != 0)
            return stream_failed(s);
    } while (len > 0 || !s->src_eof);
    int rc = gzip_trailer_check(s);
    if (rc == 0)
        rc = digest_final(&res->digest, s->zdigest);
    if (rc == 0)
        rc = digest_final(&res->diff_id, s->tdigest);
    res->compressed_bytes = s->zbytes;
    res->tar_bytes = s->tbytes;
    res->compression = s->compression;
    if (rc == 0 && s->opts->progress) {
        berth_progress p = { "unpack", s->opts->id, s->zbytes, s->opts->total ? s->opts->total : s->zbytes, NULL };
        if (s->opts->progress(&p, s->opts->progress_payload) != 0)
            rc = berth_fail(BERTH_ECANCELED, "unpack canceled by the caller");
    }
    return rc;
}

void stream_free(layer_stream *s)
{
    if (!s)
        return;
    if (s->tar)
        archive_read_free(s->tar);
    if (s->dec)
        archive_read_free(s->dec);
    digest_free(s->zdigest);
    digest_free(s->tdigest);
    free(s->prefix);
    free(s->tbuf);
    shadow_free(s->sh);
    free(s);
}

const stream_winattrs *stream_winattrs_for(layer_stream *s, uint64_t index) { return shadow_attrs_for(s->sh, index); }
int stream_saw_windows(const layer_stream *s) { return shadow_saw_windows(s->sh); }
