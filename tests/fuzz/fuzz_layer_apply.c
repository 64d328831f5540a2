/* layer_apply (apply mode) over mutated small tars, each run into a fresh directory:
 *
 *   <base>/run/root      where the layer is applied
 *   <base>/run/victim/   a directory with one file, which seeds aim at (../victim/file)
 *
 * After every run, applied or refused: <base>/run holds nothing but root and victim, the
 * victim and its file are unchanged (content, mode, owner, times, link count), and every hard
 * link to a file under root is itself under root (an inode's links all found in the tree). */
#include "fuzz.h"
#include "core/error.h"
#include "layer/layer.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];
static char run_dir[128], root_dir[160], victim_dir[160], victim_file[192];
static const char victim_text[] = "victim: nothing may write here\n";

typedef struct {
    const uint8_t *data;
    size_t len, chunk, off;
} mem_source;

/* Hands the bytes out in chunks, so the unpacker's buffering is exercised too. */
static int mem_read(void *payload, const void **buf, size_t *len)
{
    mem_source *m = payload;
    size_t n = m->len - m->off < m->chunk ? m->len - m->off : m->chunk;
    *buf = m->data + m->off;
    *len = n;
    m->off += n;
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        chmod(path, 0700);
    return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

static void rm_tree(const char *path)
{
    /* directories may come out of a layer with mode 000: open them up first, depth first */
    if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && access(path, F_OK) == 0) {
        fprintf(stderr, "cannot remove %s\n", path);
        abort();
    }
}

/* Hard links: count the links to each inode found under root; all must be there. */
typedef struct { dev_t dev; ino_t ino; nlink_t nlink; size_t seen; } link_rec;
static link_rec links[4096];
static size_t n_links;

static int count_link(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag != FTW_F || !S_ISREG(st->st_mode) || st->st_nlink < 2)
        return 0;
    for (size_t i = 0; i < n_links; i++)
        if (links[i].dev == st->st_dev && links[i].ino == st->st_ino) {
            links[i].seen++;
            return 0;
        }
    if (n_links < sizeof links / sizeof links[0])
        links[n_links++] = (link_rec){ st->st_dev, st->st_ino, st->st_nlink, 1 };
    (void)path;
    return 0;
}

static struct stat victim_dir_st, victim_file_st;

static void setup_run(void)
{
    FUZZ_CHECK(mkdir(run_dir, 0755) == 0, "mkdir %s", run_dir);
    FUZZ_CHECK(mkdir(victim_dir, 0755) == 0, "mkdir %s", victim_dir);
    FILE *f = fopen(victim_file, "w");
    FUZZ_CHECK(f && fputs(victim_text, f) >= 0 && fclose(f) == 0, "write %s", victim_file);
    FUZZ_CHECK(lstat(victim_dir, &victim_dir_st) == 0 && lstat(victim_file, &victim_file_st) == 0, "stat victim");
}

static int same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_mode == b->st_mode && a->st_uid == b->st_uid &&
           a->st_gid == b->st_gid && a->st_nlink == b->st_nlink && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void check_nothing_outside(void)
{
    DIR *d = opendir(run_dir);
    FUZZ_CHECK(d, "open %s", run_dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        FUZZ_CHECK(!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "root") ||
                       !strcmp(e->d_name, "victim"),
                   "the layer wrote %s/%s, outside its directory", run_dir, e->d_name);
    closedir(d);
    struct stat st;
    FUZZ_CHECK(lstat(victim_dir, &st) == 0 && S_ISDIR(st.st_mode), "victim directory replaced");
    FUZZ_CHECK(st.st_mode == victim_dir_st.st_mode && st.st_uid == victim_dir_st.st_uid &&
                   st.st_mtim.tv_sec == victim_dir_st.st_mtim.tv_sec &&
                   st.st_mtim.tv_nsec == victim_dir_st.st_mtim.tv_nsec,
               "victim directory changed (mode, owner or entries)");
    FUZZ_CHECK(lstat(victim_file, &st) == 0 && same_stat(&st, &victim_file_st),
               "victim file changed (linked to, chmod, chown, touched or rewritten)");
    char text[sizeof victim_text + 8] = { 0 };
    FILE *f = fopen(victim_file, "r");
    FUZZ_CHECK(f, "open victim file");
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    FUZZ_CHECK(got == strlen(victim_text) && !strcmp(text, victim_text), "victim file content changed");
    if (access(root_dir, F_OK) == 0) {
        FUZZ_CHECK(lstat(root_dir, &st) == 0 && S_ISDIR(st.st_mode), "the target itself was replaced");
        n_links = 0;
        nftw(root_dir, count_link, 16, FTW_PHYS);
        for (size_t i = 0; i < n_links; i++)
            FUZZ_CHECK(links[i].seen == links[i].nlink,
                       "an inode under root has %lu links, only %zu of them under root",
                       (unsigned long)links[i].nlink, links[i].seen);
    }
}

static void cleanup_at_exit(void) { rm_tree(base); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/berth-fuzz-layer-XXXXXX", tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(base))
        abort();
    atexit(cleanup_at_exit);
    snprintf(run_dir, sizeof run_dir, "%s/run", base);
    snprintf(root_dir, sizeof root_dir, "%s/root", run_dir);
    snprintf(victim_dir, sizeof victim_dir, "%s/victim", run_dir);
    snprintf(victim_file, sizeof victim_file, "%s/file", victim_dir);
    return 0;
}

/* Mutations rarely keep a tar header's checksum right, and a header with a wrong one stops
 * everything at the first check. So every 512-byte block that carries the ustar magic gets
 * its checksum recomputed: the fuzzer then reaches the code behind the headers. */
static void fix_checksums(uint8_t *t, size_t n)
{
    for (size_t off = 0; off + 512 <= n; off += 512) {
        uint8_t *h = t + off;
        if (memcmp(h + 257, "ustar", 5) != 0)
            continue;
        unsigned sum = 0;
        for (size_t i = 0; i < 512; i++)
            sum += (i >= 148 && i < 156) ? ' ' : h[i];
        char field[8];
        snprintf(field, sizeof field, "%06o", sum & 0777777);
        memcpy(h + 148, field, 7);
        h[155] = ' ';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* first byte: chunk size for the reader (1..255 bytes, or everything at once) */
    uint8_t *tar = malloc(size - 1 ? size - 1 : 1);
    if (!tar)
        return 0;
    memcpy(tar, data + 1, size - 1);
    fix_checksums(tar, size - 1);
    mem_source src = { tar, size - 1, data[0] ? data[0] : size, 0 };
    setup_run();
    layer_options opts;
    memset(&opts, 0, sizeof opts);
    opts.max_bytes = 1 << 20;
    opts.max_entries = 256;
    layer_result res;
    berth_error_clear();
    int rc = layer_apply(&res, mem_read, &src, NULL, root_dir, &opts);
    if (rc != 0)
        fuzz_check_failure(rc, "layer_apply");
    else
        FUZZ_CHECK(res.entries <= opts.max_entries && res.tar_bytes <= opts.max_bytes,
                   "policy not kept: %llu entries, %llu bytes", (unsigned long long)res.entries,
                   (unsigned long long)res.tar_bytes);
    if (getenv("BERTH_FUZZ_LAYER_SELFTEST")) {
        /* proves the check can fail: write beside root as an escaping entry would */
        FILE *f = fopen(victim_file, "a");
        if (f) {
            fputs("escaped\n", f);
            fclose(f);
        }
    }
    check_nothing_outside();
    rm_tree(run_dir);
    free(tar);
    return 0;
}
