/* The unpack pipeline end to end, with tars built in memory by libarchive's writer and fed
 * through read callbacks (one byte at a time, failing, cancelling), plus the writer's own
 * no-follow guard on its own, store commits, chain ids and media types. */
/* fixtures are built with libarchive itself, not through the library's loaded table */
#define ARCHIVE_LIB_DIRECT
#include "check.h"
#include "core/error.h"
#include "core/fs.h"
#include "layer/layer.h"
#include "layer/writer.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- building tars ---- */

typedef struct {
    const char *name;
    char type;               /* f d l h */
    const char *data;        /* file data, or link target */
} ent;

static unsigned char tarbuf[1 << 20];
static size_t tarlen;

static void build(const ent *e, size_t n, int gzip)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (gzip)
        archive_write_add_filter_gzip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open_memory(a, tarbuf, sizeof tarbuf, &tarlen);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *x = archive_entry_new();
        archive_entry_set_pathname(x, e[i].name);
        archive_entry_set_mtime(x, 1500000000, 0);
        if (e[i].type == 'd') {
            archive_entry_set_filetype(x, AE_IFDIR);
            archive_entry_set_perm(x, 0755);
        } else if (e[i].type == 'l') {
            archive_entry_set_filetype(x, AE_IFLNK);
            archive_entry_set_symlink(x, e[i].data);
        } else if (e[i].type == 'h') {
            archive_entry_set_filetype(x, AE_IFREG);
            archive_entry_set_hardlink(x, e[i].data);
        } else {
            archive_entry_set_filetype(x, AE_IFREG);
            archive_entry_set_perm(x, 0644);
            archive_entry_set_size(x, (la_int64_t)strlen(e[i].data));
        }
        archive_write_header(a, x);
        if (e[i].type == 'f')
            archive_write_data(a, e[i].data, strlen(e[i].data));
        archive_entry_free(x);
    }
    archive_write_close(a);
    archive_write_free(a);
}

/* ---- sources ---- */

typedef struct {
    size_t pos, step;
    size_t fail_at;          /* fail once pos reaches this (0: never) */
} mem_src;

static int mem_read(void *payload, const void **buf, size_t *len)
{
    mem_src *m = payload;
    if (m->fail_at && m->pos >= m->fail_at)
        return berth_fail(BERTH_ENETWORK, "connection reset by the test");
    size_t n = tarlen - m->pos < m->step ? tarlen - m->pos : m->step;
    *buf = tarbuf + m->pos;
    *len = n;
    m->pos += n;
    return 0;
}

static char tmpdir[64];

static void fresh_dir(void)
{
    if (tmpdir[0])
        fs_remove_tree(tmpdir);
    strcpy(tmpdir, "/tmp/berth-layer-test.XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
}

static char *sub(const char *rel)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
    return p;
}

/* ---- cases ---- */

static const ent simple[] = {
    { "d", 'd', NULL }, { "d/f", 'f', "hello" }, { "d/l", 'l', "f" }, { "d/h", 'h', "d/f" },
};

static void one_byte_chunks_give_the_same_digests(void)
{
    build(simple, 4, 1);
    layer_result whole, bytewise;
    mem_src a = { 0, 1 << 20, 0 }, b = { 0, 1, 0 };
    fresh_dir();
    CHECK_OK(layer_apply(&whole, mem_read, &a, "application/vnd.oci.image.layer.v1.tar+gzip", sub("a"), NULL));
    CHECK_OK(layer_apply(&bytewise, mem_read, &b, NULL, sub("b"), NULL));
    CHECK_STREQ(whole.diff_id.text, bytewise.diff_id.text);
    CHECK_STREQ(whole.digest.text, bytewise.digest.text);
    CHECK(whole.compression == LAYER_COMPRESSION_GZIP && bytewise.compression == LAYER_COMPRESSION_GZIP);
    CHECK(whole.entries == 4);
    berth_digest blob;
    CHECK_OK(digest_of_buffer(&blob, tarbuf, tarlen));
    CHECK_STREQ(whole.digest.text, blob.text);
    struct stat s1, s2;
    CHECK(lstat(sub("b/d/f"), &s1) == 0 && lstat(sub("b/d/h"), &s2) == 0 && s1.st_ino == s2.st_ino);
    CHECK(lstat(sub("b/d/l"), &s1) == 0 && S_ISLNK(s1.st_mode));
}

static void plain_tar_digest_equals_diff_id(void)
{
    build(simple, 4, 0);
    layer_result r;
    mem_src m = { 0, 7, 0 };
    fresh_dir();
    CHECK_OK(layer_apply(&r, mem_read, &m, "application/vnd.docker.image.rootfs.diff.tar", sub("x"), NULL));
    CHECK_STREQ(r.digest.text, r.diff_id.text);
    CHECK(r.tar_bytes == tarlen);
}

static void source_errors_surface_with_their_message(void)
{
    build(simple, 4, 0);
    layer_result r;
    mem_src m = { 0, 512, 1024 };
    fresh_dir();
    berth_error_clear();
    CHECK_RC(BERTH_ENETWORK, layer_apply(&r, mem_read, &m, NULL, sub("x"), NULL));
    CHECK_MSG("connection reset by the test");
}

static int cancel_at_once(const berth_progress *p, void *payload)
{
    (void)p;
    (*(int *)payload)++;
    return 1;
}

static void progress_can_cancel_and_nothing_is_committed(void)
{
    build(simple, 4, 1);
    fresh_dir();
    berth_t *b = NULL;
    CHECK_OK(berth_open(&b, sub("root")));
    if (!b)
        return;
    int calls = 0;
    layer_options o = { 0 };
    o.progress = cancel_at_once;
    o.progress_payload = &calls;
    layer_result r;
    mem_src m = { 0, 64, 0 };
    CHECK_RC(BERTH_ECANCELED, layer_unpack_to_store(&r, b, mem_read, &m, NULL, NULL, NULL, &o));
    CHECK(calls == 1);
    DIR *d = opendir(sub("root/layers"));
    int n = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(n == 0);
    berth_close(b);
}

static void store_commit_digests_and_presence(void)
{
    build(simple, 4, 1);
    fresh_dir();
    berth_t *b = NULL;
    CHECK_OK(berth_open(&b, sub("root")));
    if (!b)
        return;
    layer_result r;
    mem_src m = { 0, 4096, 0 };
    CHECK_OK(layer_unpack_to_store(&r, b, mem_read, &m, NULL, NULL, NULL, NULL));
    CHECK_STREQ(r.chain_id.text, r.diff_id.text);   /* a base layer's chain id is its diff_id */
    CHECK(layer_present(b, &r.chain_id) == 1);
    /* A wrong compressed digest: refused, nothing new kept. */
    berth_digest wrong = r.diff_id, parent = r.chain_id;
    layer_options o = { 0 };
    o.expected_digest = &wrong;
    layer_result r2;
    m.pos = 0;
    berth_error_clear();
    CHECK_RC(BERTH_EDIGEST, layer_unpack_to_store(&r2, b, mem_read, &m, NULL, NULL, &parent, &o));
    CHECK_MSG("damaged");
    berth_digest chain2;
    CHECK_OK(layer_chain_id(&chain2, &parent, &r.diff_id));
    CHECK(layer_present(b, &chain2) == 0);
    /* Present already: nothing is read. */
    mem_src never = { 0, 1, 1 };
    CHECK_OK(layer_unpack_to_store(&r2, b, mem_read, &never, NULL, &r.diff_id, NULL, NULL));
    CHECK(r2.existed == 1);
    /* Removed: gone at once, nothing temporary left; removing it again is fine. */
    CHECK_OK(layer_remove(b, &r.chain_id));
    CHECK(layer_present(b, &r.chain_id) == 0);
    DIR *d = opendir(sub("root/layers"));
    int n = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(n == 0);
    CHECK_OK(layer_remove(b, &r.chain_id));
    berth_close(b);
}

static void clean_tmp_spares_live_unpacks(void)
{
    fresh_dir();
    berth_t *b = NULL;
    CHECK_OK(berth_open(&b, sub("root")));
    if (!b)
        return;
    mkdir(sub("root/layers/tmp-dead"), 0700);
    mkdir(sub("root/layers/tmp-dead/x"), 0700);
    mkdir(sub("root/layers/tmp-live"), 0700);
    mkdir(sub("root/layers/tmp-young"), 0700);
    struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
    CHECK(utimensat(AT_FDCWD, sub("root/layers/tmp-dead"), old, 0) == 0);
    CHECK(utimensat(AT_FDCWD, sub("root/layers/tmp-live"), old, 0) == 0);
    int fd = open(sub("root/layers/tmp-live"), O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
    /* flock locks belong to the open file description: another one is another holder. */
    CHECK_OK(layer_clean_tmp(b));
    CHECK(!fs_exists(sub("root/layers/tmp-dead")));
    CHECK(fs_exists(sub("root/layers/tmp-live")));
    CHECK(fs_exists(sub("root/layers/tmp-young")));   /* may be an unpack between mkdir and flock */
    close(fd);
    berth_close(b);
}

static void writer_refuses_symlinks_on_its_own(void)
{
    /* The name is clean, so only the writer's no-follow walk stands between it and /tmp. */
    fresh_dir();
    mkdir(sub("t"), 0755);
    CHECK(symlink(tmpdir, sub("t/esc")) == 0);
    layer_writer *w = NULL;
    CHECK_OK(writer_open(&w, sub("t"), WRITER_APPLY));
    if (!w)
        return;
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "esc/sub");
    archive_entry_set_filetype(e, AE_IFDIR);
    archive_entry_set_perm(e, 0755);
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, writer_entry(w, NULL, e, "esc/sub", NULL));
    CHECK_MSG("is a symlink");
    CHECK(!fs_exists(sub("sub")));
    CHECK_RC(BERTH_EUNSAFE, writer_whiteout(w, "esc/t"));
    CHECK(fs_exists(sub("t")));
    CHECK_RC(BERTH_EUNSAFE, writer_opaque(w, "esc"));
    CHECK(fs_exists(sub("t")));
    CHECK_RC(BERTH_EUNSAFE, writer_entry(w, NULL, e, "h", "esc/t"));   /* hard link through it */
    /* A symlink that escapes cannot be hard-linked either. */
    CHECK(symlink("/etc/passwd", sub("t/pw")) == 0);
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, writer_entry(w, NULL, e, "h", "pw"));
    CHECK_MSG("outside the layer");
    archive_entry_free(e);
    writer_free(w);
}

static void size_and_entry_limits_name_the_entry(void)
{
    static const ent many[] = { { "a", 'f', "0123456789" }, { "b", 'f', "0123456789" }, { "c", 'f', "0123456789" } };
    build(many, 3, 1);
    layer_options o = { 0 };
    o.max_entries = 2;
    layer_result r;
    mem_src m = { 0, 4096, 0 };
    fresh_dir();
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, layer_apply(&r, mem_read, &m, NULL, sub("x"), &o));
    CHECK_MSG("entry \"c\"");
    o.max_entries = 0;
    o.max_bytes = 1536;    /* header+data of "a" fit (1024), "b"'s data does not */
    m.pos = 0;
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, layer_apply(&r, mem_read, &m, NULL, sub("y"), &o));
    CHECK_MSG("size limit");
}

static void gzip_crc_is_checked(void)
{
    static const ent one[] = { { "f", 'f', "some file data that is long enough to matter" } };
    build(one, 1, 1);
    tarbuf[tarlen - 8] ^= 0x01;    /* the CRC-32 in the trailer */
    layer_result r;
    mem_src m = { 0, 4096, 0 };
    fresh_dir();
    berth_error_clear();
    CHECK_RC(BERTH_EINVAL, layer_apply(&r, mem_read, &m, NULL, sub("x"), NULL));
    CHECK_MSG("CRC-32");
}

/* A ustar header block, checksummed. */
static void ustar_link(unsigned char *h, const char *name, char type, size_t size, const char *link)
{
    memset(h, 0, 512);
    memcpy(h, name, strlen(name));
    if (link)
        memcpy(h + 157, link, strlen(link));
    memcpy(h + 100, "0000755", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    snprintf((char *)h + 124, 12, "%011zo", size);
    memcpy(h + 136, "13000000000", 12);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

static void ustar(unsigned char *h, const char *name, char type, size_t size) { ustar_link(h, name, type, size, NULL); }

static void windows_attributes_survive_one_byte_chunks(void)
{
    /* PAX records for "Files" (fileattr, rawsd), then the entry, then the end blocks. */
    const char *recs = "25 MSWINDOWS.fileattr=16\n" "28 MSWINDOWS.rawsd=AQAEgA==\n";
    size_t rl = strlen(recs);
    memset(tarbuf, 0, sizeof tarbuf);
    ustar(tarbuf, "PaxHeaders/Files", 'x', rl);
    memcpy(tarbuf + 512, recs, rl);
    ustar(tarbuf + 1024, "Files", '5', 0);
    tarlen = 1536 + 1024;
    layer_result r;
    mem_src m = { 0, 1, 0 };
    fresh_dir();
    CHECK_OK(layer_apply(&r, mem_read, &m, "application/vnd.oci.image.layer.v1.tar", sub("w"), NULL));
    CHECK(r.windows == 1);
    char *text = NULL;
    size_t len = 0;
    CHECK_OK(fs_read_file(&text, &len, sub("w/berth-windows-layer.jsonl"), 1 << 16));
    if (text) {
        if (!strstr(text, "\"fileattr\":16") || !strstr(text, "\"rawsd\":\"AQAEgA==\""))
            printf("#   manifest: %s\n", text);
        CHECK(strstr(text, "\"path\":\"Files\"") && strstr(text, "\"fileattr\":16") && strstr(text, "\"rawsd\":\"AQAEgA==\""));
    }
    free(text);
}

/* Random chunk sizes, to cross every boundary in the readers. */
typedef struct {
    size_t pos;
    uint64_t rng;
} rnd_src;

static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int rnd_read(void *payload, const void **buf, size_t *len)
{
    rnd_src *m = payload;
    size_t step = 1 + (size_t)(next_rand(&m->rng) % 700);
    size_t n = tarlen - m->pos < step ? tarlen - m->pos : step;
    *buf = tarbuf + m->pos;
    *len = n;
    m->pos += n;
    return 0;
}

static void mutated_layers_fail_cleanly(void)
{
    /* A Windows-style layer with PAX records, then flipped bytes: every run must end in a
     * result or a message, never a crash (this runs under ASan too), and stay in its dir. */
    const char *recs = "25 MSWINDOWS.fileattr=16\n" "28 MSWINDOWS.rawsd=AQAEgA==\n" "26 MSWINDOWS.mountpoint=1\n";
    unsigned char orig[8192];
    size_t rl = strlen(recs), olen;
    memset(orig, 0, sizeof orig);
    ustar(orig, "PaxHeaders/Files", 'x', rl);
    memcpy(orig + 512, recs, rl);
    ustar(orig + 1024, "Files", '5', 0);
    ustar(orig + 1536, "PaxHeaders/f", 'x', rl);
    memcpy(orig + 2048, recs, rl);
    ustar(orig + 2560, "Files/f", '0', 700);
    memset(orig + 3072, 'd', 700);
    ustar_link(orig + 4096, "Files/l", '2', 0, "f");
    olen = 4608 + 1024;
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    int failures = 0, successes = 0;
    fresh_dir();
    memcpy(tarbuf, orig, olen);      /* unmutated, it applies */
    tarlen = olen;
    rnd_src m0 = { 0, 12345 };
    layer_result r0;
    CHECK_OK(layer_apply(&r0, rnd_read, &m0, NULL, sub("orig"), NULL));
    CHECK(r0.windows == 1 && r0.entries == 3);
    const int rounds = 400;
    for (int i = 0; i < rounds; i++) {
        memcpy(tarbuf, orig, olen);
        tarlen = olen;
        int flips = 1 + (int)(next_rand(&rng) % 8);
        for (int k = 0; k < flips; k++)
            tarbuf[next_rand(&rng) % olen] = (unsigned char)next_rand(&rng);
        char dir[64];
        snprintf(dir, sizeof dir, "m%d", i);
        rnd_src m = { 0, next_rand(&rng) | 1 };
        layer_result r;
        berth_error_clear();
        int rc = layer_apply(&r, rnd_read, &m, NULL, sub(dir), NULL);
        if (rc == 0)
            successes++;
        else if (!*berth_errmsg())
            failures++;   /* a failure without a message */
    }
    printf("#   %d mutated layers: %d applied, %d refused or failed\n", rounds, successes, rounds - successes);
    CHECK(failures == 0);
    /* Nothing escaped into the test directory's parent. */
    CHECK(!fs_exists("/tmp/f") && !fs_exists("/tmp/Files"));
}

static void media_types(void)
{
    static const struct { const char *mt; layer_compression want; } table[] = {
        { "application/vnd.oci.image.layer.v1.tar", LAYER_COMPRESSION_NONE },
        { "application/vnd.oci.image.layer.v1.tar+gzip", LAYER_COMPRESSION_GZIP },
        { "application/vnd.oci.image.layer.v1.tar+zstd", LAYER_COMPRESSION_ZSTD },
        { "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", LAYER_COMPRESSION_GZIP },
        { "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", LAYER_COMPRESSION_ZSTD },
        { "application/vnd.docker.image.rootfs.diff.tar", LAYER_COMPRESSION_NONE },
        { "application/vnd.docker.image.rootfs.diff.tar.gzip", LAYER_COMPRESSION_GZIP },
        { "application/vnd.docker.image.rootfs.diff.tar.zstd", LAYER_COMPRESSION_ZSTD },
        { "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", LAYER_COMPRESSION_GZIP },
        { NULL, LAYER_COMPRESSION_DETECT },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        layer_compression c = LAYER_COMPRESSION_DETECT;
        CHECK_OK(layer_media_compression(&c, table[i].mt));
        CHECK(c == table[i].want);
    }
    layer_compression c;
    CHECK_RC(BERTH_EUNSUPPORTED, layer_media_compression(&c, "application/vnd.oci.image.layer.v1.tar+bzip2"));
    CHECK_RC(BERTH_EUNSUPPORTED, layer_media_compression(&c, "application/json"));
}

/* One ustar header block with a valid checksum. */
static void raw_header(unsigned char *h, const char *name, size_t size, char type)
{
    memset(h, 0, 512);
    snprintf((char *)h, 100, "%s", name);
    snprintf((char *)h + 100, 8, "%07o", 0644);
    snprintf((char *)h + 124, 12, "%011zo", size);
    snprintf((char *)h + 136, 12, "%011o", 0);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
}

/* Found by tests/fuzz/fuzz_layer_apply.c: a PAX record whose length is shorter than its own
 * "<len> " prefix made the Windows-attribute reader memchr past the end of its buffer (ASan:
 * heap-buffer-overflow). Now the record is ignored and libarchive's verdict stands. */
static void pax_record_shorter_than_its_prefix(void)
{
    static const char pax[] = "1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";   /* no '=' and no newline */
    memset(tarbuf, 0, 4096);
    raw_header(tarbuf, "././@PaxHeader", sizeof pax - 1, 'x');
    memcpy(tarbuf + 512, pax, sizeof pax - 1);
    raw_header(tarbuf + 1024, "file", 1, '0');
    tarbuf[1536] = 'x';
    tarlen = 3072;
    fresh_dir();
    layer_result r;
    mem_src src = { 0, 1 << 20, 0 };
    int rc = layer_apply(&r, mem_read, &src, NULL, sub("out"), NULL);
    /* libarchive may take or refuse the malformed record; either way no crash, and a refusal says why */
    CHECK(rc == 0 || berth_errmsg()[0] != '\0');
}

/* Found by tests/fuzz/fuzz_layer_apply.c: a Windows layer entry whose mtime is a huge
 * base-256 number made mtime * 10^9 overflow (UBSan: signed integer overflow). Now the
 * nanosecond time saturates. */
static void windows_entry_with_a_huge_mtime(void)
{
    memset(tarbuf, 0, 4096);
    raw_header(tarbuf, "Files/", 0, '5');
    raw_header(tarbuf + 512, "Files/x", 1, '0');
    unsigned char *mt = tarbuf + 512 + 136;   /* base-256: 0x80, then 0x7f ff ff ... */
    mt[0] = 0x80;
    mt[1] = 0x00;
    mt[2] = 0x00;
    mt[3] = 0x00;
    mt[4] = 0x7f;
    for (int i = 5; i < 12; i++)
        mt[i] = 0xff;
    unsigned char *h = tarbuf + 512;
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    tarbuf[1024] = 'x';
    tarlen = 2560;
    fresh_dir();
    layer_result r;
    mem_src src = { 0, 1 << 20, 0 };
    int rc = layer_apply(&r, mem_read, &src, NULL, sub("out"), NULL);
    if (rc)
        printf("# %s\n", berth_errmsg());
    CHECK(rc == 0 || berth_errmsg()[0] != '\0');
}

static void chain_ids(void)
{
    berth_digest a, b, want, got;
    CHECK_OK(digest_of_buffer(&a, "a", 1));
    CHECK_OK(digest_of_buffer(&b, "b", 1));
    char text[200];
    snprintf(text, sizeof text, "%s %s", a.text, b.text);
    CHECK_OK(digest_of_buffer(&want, text, strlen(text)));
    CHECK_OK(layer_chain_id(&got, &a, &b));
    CHECK_STREQ(got.text, want.text);
    CHECK_OK(layer_chain_id(&got, NULL, &b));
    CHECK_STREQ(got.text, b.text);
    char *s = NULL;
    CHECK_OK(berth_layer_chain_id(&s, a.text, b.text));
    CHECK_STREQ(s, want.text);
    berth_free(s);
    CHECK_RC(BERTH_EINVAL, berth_layer_chain_id(&s, NULL, "sha256:nothex"));
}

int main(void)
{
    RUN(one_byte_chunks_give_the_same_digests);
    RUN(plain_tar_digest_equals_diff_id);
    RUN(source_errors_surface_with_their_message);
    RUN(progress_can_cancel_and_nothing_is_committed);
    RUN(store_commit_digests_and_presence);
    RUN(clean_tmp_spares_live_unpacks);
    if (geteuid() == 0)
        RUN(writer_refuses_symlinks_on_its_own);
    else
        check_skip("writer_refuses_symlinks_on_its_own", "needs root");
    RUN(size_and_entry_limits_name_the_entry);
    RUN(gzip_crc_is_checked);
    RUN(windows_attributes_survive_one_byte_chunks);
    RUN(mutated_layers_fail_cleanly);
    RUN(media_types);
    RUN(pax_record_shorter_than_its_prefix);
    RUN(windows_entry_with_a_huge_mtime);
    RUN(chain_ids);
    if (tmpdir[0])
        fs_remove_tree(tmpdir);
    return check_done();
}
