/* layer_unpack_to_store (the mode a pull uses) over mutated small tars, into one store:
 *
 *   <base>/store/     the store (berth_open), layers/ empty between runs
 *   <base>/victim/    a directory with one file, which seeds aim at
 *
 * After every run: a refused unpack left nothing under store/layers/ (no tmp-* folder), a
 * committed one sits in layers/<chain-hex>/ only (then it is removed for the next run),
 * <base> holds nothing new, the victim is unchanged, and every hard link to a file in the
 * layer is inside the layer. */
#include "fuzz.h"
#include "core/error.h"
#include "core/fs.h"
#include "layer/layer.h"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64], store_dir[96], layers_dir[128], victim_dir[96], victim_file[128];
static const char victim_text[] = "victim: nothing may write here\n";
static berth_t *store;
static struct stat victim_dir_st, victim_file_st;

typedef struct {
    const uint8_t *data;
    size_t len, chunk, off;
} mem_source;

static int mem_read(void *payload, const void **buf, size_t *len)
{
    mem_source *m = payload;
    size_t n = m->len - m->off < m->chunk ? m->len - m->off : m->chunk;
    *buf = m->data + m->off;
    *len = n;
    m->off += n;
    return 0;
}

/* As in fuzz_layer_apply.c: keep mutated ustar headers' checksums right. */
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

typedef struct { dev_t dev; ino_t ino; nlink_t nlink; size_t seen; } link_rec;
static link_rec links[4096];
static size_t n_links;

static int count_link(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path; (void)ftw;
    if (flag != FTW_F || !S_ISREG(st->st_mode) || st->st_nlink < 2)
        return 0;
    for (size_t i = 0; i < n_links; i++)
        if (links[i].dev == st->st_dev && links[i].ino == st->st_ino) {
            links[i].seen++;
            return 0;
        }
    if (n_links < sizeof links / sizeof links[0])
        links[n_links++] = (link_rec){ st->st_dev, st->st_ino, st->st_nlink, 1 };
    return 0;
}

static void only_names(const char *dir, const char *const *allowed, const char *what)
{
    DIR *d = opendir(dir);
    FUZZ_CHECK(d, "open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        int ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = !strcmp(e->d_name, allowed[i]);
        FUZZ_CHECK(ok, "%s: %s/%s should not exist", what, dir, e->d_name);
    }
    closedir(d);
}

static void cleanup_at_exit(void)
{
    berth_close(store);
    fs_remove_tree(base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/berth-fuzz-store-XXXXXX", tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(base))
        abort();
    atexit(cleanup_at_exit);
    snprintf(store_dir, sizeof store_dir, "%s/store", base);
    snprintf(layers_dir, sizeof layers_dir, "%s/layers", store_dir);
    snprintf(victim_dir, sizeof victim_dir, "%s/victim", base);
    snprintf(victim_file, sizeof victim_file, "%s/file", victim_dir);
    if (mkdir(victim_dir, 0755) != 0)
        abort();
    FILE *f = fopen(victim_file, "w");
    if (!f || fputs(victim_text, f) < 0 || fclose(f) != 0)
        abort();
    if (berth_open(&store, store_dir) != 0) {
        fprintf(stderr, "open store: %s\n", berth_errmsg());
        abort();
    }
    if (lstat(victim_dir, &victim_dir_st) != 0 || lstat(victim_file, &victim_file_st) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t *tar = malloc(size - 1 ? size - 1 : 1);
    if (!tar)
        return 0;
    memcpy(tar, data + 1, size - 1);
    fix_checksums(tar, size - 1);
    mem_source src = { tar, size - 1, data[0] ? data[0] : size, 0 };
    layer_options opts;
    memset(&opts, 0, sizeof opts);
    opts.max_bytes = 1 << 20;
    opts.max_entries = 256;
    layer_result res;
    berth_error_clear();
    int rc = layer_unpack_to_store(&res, store, mem_read, &src, NULL, NULL, NULL, &opts);
    char *dir = NULL;
    if (rc != 0) {
        fuzz_check_failure(rc, "layer_unpack_to_store");
    } else {
        dir = layer_dir(store, &res.chain_id);
        FUZZ_CHECK(dir && layer_present(store, &res.chain_id), "committed layer %s is not present", res.chain_id.text);
        n_links = 0;
        nftw(dir, count_link, 16, FTW_PHYS);
        for (size_t i = 0; i < n_links; i++)
            FUZZ_CHECK(links[i].seen == links[i].nlink, "an inode in the layer has %lu links, %zu of them inside",
                       (unsigned long)links[i].nlink, links[i].seen);
    }
    /* nothing beside the layer: layers/ holds the committed folder only, the base is as it was */
    const char *chain_hex = rc == 0 ? digest_hex(&res.chain_id) : NULL;
    const char *const in_layers[] = { chain_hex, NULL };
    only_names(layers_dir, in_layers, rc ? "a refused unpack left a folder" : "beside the committed layer");
    const char *const in_base[] = { "store", "victim", NULL };
    only_names(base, in_base, "outside the store");
    const char *const in_victim[] = { "file", NULL };
    only_names(victim_dir, in_victim, "in the victim directory");
    struct stat st;
    FUZZ_CHECK(lstat(victim_file, &st) == 0 && st.st_ino == victim_file_st.st_ino &&
                   st.st_mode == victim_file_st.st_mode && st.st_uid == victim_file_st.st_uid &&
                   st.st_nlink == victim_file_st.st_nlink && st.st_size == victim_file_st.st_size &&
                   st.st_mtim.tv_sec == victim_file_st.st_mtim.tv_sec &&
                   st.st_mtim.tv_nsec == victim_file_st.st_mtim.tv_nsec,
               "victim file changed (linked to, chmod, chown, touched or rewritten)");
    FUZZ_CHECK(lstat(victim_dir, &st) == 0 && st.st_mode == victim_dir_st.st_mode &&
                   st.st_mtim.tv_sec == victim_dir_st.st_mtim.tv_sec &&
                   st.st_mtim.tv_nsec == victim_dir_st.st_mtim.tv_nsec,
               "victim directory changed");
    if (dir)
        FUZZ_CHECK(fs_remove_tree(dir) == 0, "remove %s: %s", dir, berth_errmsg());
    free(dir);
    free(tar);
    return 0;
}
