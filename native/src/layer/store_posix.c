/* Store mode: unpack into <root>/layers/tmp-<random>/ (held with flock so a cleaner can tell a
 * live unpack from a dead one), verify, sync, then rename to <root>/layers/<chain-hex>/. The
 * rename is the commit: a layer folder exists only complete and verified. Two processes
 * unpacking the same layer both succeed; the second rename finds the folder there and drops
 * its own copy. */
#include "layer/layer.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/handle.h"
#include "layer/unpack.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_PREFIX "tmp-"
#define TMP_IDLE_S 60

char *layer_dir(berth_t *b, const berth_digest *chain_id)
{
    char rel[128];
    snprintf(rel, sizeof rel, "layers/%s", digest_hex(chain_id));
    return fs_join(b->root, rel);
}

int layer_present(berth_t *b, const berth_digest *chain_id)
{
    char *dir = layer_dir(b, chain_id);
    struct stat st;
    int present = dir && lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    return present;
}

/* Creates and locks a fresh temporary folder under layers/. */
static int tmp_create(char **path_out, int *lock_out, berth_t *b)
{
    unsigned char raw[12];
    char rel[64];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return berth_fail(BERTH_ERROR, "unpack: no random bytes for a temporary folder name");
    int n = snprintf(rel, sizeof rel, "layers/" TMP_PREFIX);
    for (size_t i = 0; i < sizeof raw; i++)
        n += snprintf(rel + n, sizeof rel - (size_t)n, "%02x", raw[i]);
    char *path = fs_join(b->root, rel);
    if (!path)
        return BERTH_ENOMEM;
    if (mkdir(path, 0755) != 0) {
        int rc = berth_fail_errno(BERTH_ERROR, errno, "create %s (is the store writable?)", path);
        free(path);
        return rc;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX) != 0 || fchmod(fd, 0755) != 0) {
        int rc = berth_fail_errno(BERTH_ERROR, errno, "prepare %s", path);
        if (fd >= 0)
            close(fd);
        rmdir(path);
        free(path);
        return rc;
    }
    *path_out = path;
    *lock_out = fd;
    return 0;
}

int layer_unpack_to_store(layer_result *out, berth_t *b, layer_read_fn read, void *read_payload,
                          const char *media_type, const berth_digest *expected_diff_id,
                          const berth_digest *parent_chain, const layer_options *opts)
{
    layer_options dflt = { 0 };
    if (!opts)
        opts = &dflt;
    memset(out, 0, sizeof *out);
    const char *what = opts->id ? opts->id : expected_diff_id ? expected_diff_id->text : "(stream)";
    int rc = 0, lock = -1;
    char *tmp = NULL, *final = NULL;
    if (expected_diff_id) {
        if ((rc = layer_chain_id(&out->chain_id, parent_chain, expected_diff_id)) != 0)
            return rc;
        if (layer_present(b, &out->chain_id)) {
            out->diff_id = *expected_diff_id;
            out->existed = 1;
            return 0;
        }
    }
    layer_clean_tmp(b);        /* what killed unpacks left; best effort */
    berth_error_clear();
    if ((rc = tmp_create(&tmp, &lock, b)) != 0)
        goto out;
    rc = layer_unpack_dir(out, read, read_payload, media_type, tmp, 1, parent_chain ? 0 : 1, opts);
    if (rc != 0)
        goto out;
    if (opts->expected_digest && !digest_equal(&out->digest, opts->expected_digest)) {
        rc = berth_fail(BERTH_EDIGEST, "the blob hashes to %s, not %s — it was damaged on the way; pull again",
                        out->digest.text, opts->expected_digest->text);
        goto out;
    }
    if (expected_diff_id && !digest_equal(&out->diff_id, expected_diff_id)) {
        rc = berth_fail(BERTH_EDIGEST, "the uncompressed layer hashes to %s, but the image config lists diff_id %s "
                        "— the blob or the config is wrong; nothing was kept", out->diff_id.text, expected_diff_id->text);
        goto out;
    }
    if ((rc = layer_chain_id(&out->chain_id, parent_chain, &out->diff_id)) != 0)
        goto out;
    if (!(final = layer_dir(b, &out->chain_id))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if (fsync(lock) != 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "sync %s", tmp);
        goto out;
    }
    if (rename(tmp, final) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "commit layer: rename %s to %s", tmp, final);
            goto out;
        }
        out->existed = 1;   /* another process committed the same layer first: theirs stays */
    } else {
        free(tmp);
        tmp = NULL;
        rc = fs_fsync_dir_of(final);
    }
out:
    if (rc != 0)
        rc = berth_wrap(rc, "unpack layer %s", what);
    if (tmp) {
        int saved = berth_errcode();
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", berth_errmsg());
        fs_remove_tree(tmp);   /* nothing of a refused or failed unpack stays */
        if (rc != 0)
            berth_fail(saved, "%s", msg);
    }
    if (lock >= 0)
        close(lock);
    free(tmp);
    free(final);
    return rc;
}

int layer_unpack_file_to_store(layer_result *out, berth_t *b, const char *blob_path, const char *media_type,
                               const berth_digest *expected_diff_id, const berth_digest *parent_chain,
                               const layer_options *opts)
{
    void *src;
    int rc = layer_file_source_open(&src, blob_path);
    if (rc != 0)
        return rc;
    rc = layer_unpack_to_store(out, b, layer_file_source_read, src, media_type, expected_diff_id, parent_chain, opts);
    layer_file_source_close(src);
    return rc;
}

int layer_clean_tmp(berth_t *b)
{
    char *layers = fs_join(b->root, "layers");
    if (!layers)
        return BERTH_ENOMEM;
    DIR *d = opendir(layers);
    int rc = 0;
    if (!d) {
        rc = errno == ENOENT ? 0 : berth_fail_errno(BERTH_ERROR, errno, "list %s", layers);
        free(layers);
        return rc;
    }
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
            continue;
        char *p = fs_join(layers, de->d_name);
        if (!p) {
            rc = BERTH_ENOMEM;
            break;
        }
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        /* A live unpack holds its lock; a folder idle for a minute and unlocked is dead (the
         * age also covers the instant between an unpack's mkdir and its flock). */
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_mtime + TMP_IDLE_S < time(NULL) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            rc = fs_remove_tree(p);
        if (fd >= 0)
            close(fd);
        free(p);
    }
    closedir(d);
    free(layers);
    return rc;
}
