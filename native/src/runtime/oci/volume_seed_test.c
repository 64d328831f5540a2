/* Filling a volume from the image's files: what is copied, what never is, and that an image's
 * symlink cannot lead the copy out of the root file system. Runs on plain folders (the shim
 * uses the mounted overlay; the copy does not care). */
#include "check.h"
#include "core/fs.h"
#include "runtime/oci/oci.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64];

static void path(char *out, size_t n, const char *rel)
{
    snprintf(out, n, "%s/%s", base, rel);
}

static void put(const char *rel, const char *text, int mode)
{
    char p[512];
    path(p, sizeof p, rel);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(p, (mode_t)mode);
}

static void mk(const char *rel, int mode)
{
    char p[512];
    path(p, sizeof p, rel);
    mkdir(p, (mode_t)mode);
    chmod(p, (mode_t)mode);
}

static int has(const char *rel, const char *text)
{
    char p[512], *got = NULL;
    path(p, sizeof p, rel);
    int ok = fs_read_file(&got, NULL, p, 4096) == 0 && strcmp(got, text) == 0;
    free(got);
    return ok;
}

static int count(const char *rel)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A %s/%s | wc -l", base, rel);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void setup(void)
{
    snprintf(base, sizeof base, "/tmp/berth-seed-XXXXXX");
    CHECK(mkdtemp(base) != NULL);
    mk("root", 0755);
    mk("root/data", 0750);
    put("root/data/a.txt", "alpha", 0640);
    mk("root/data/sub", 0700);
    put("root/data/sub/b.txt", "beta", 0600);
    char t[512], l[512];
    path(t, sizeof t, "root/data/a.txt");
    path(l, sizeof l, "root/data/hard.txt");
    CHECK(link(t, l) == 0);
    path(l, sizeof l, "root/data/link");
    CHECK(symlink("a.txt", l) == 0);
    /* a hostile image: /esc points far up, at a folder that exists only outside the root */
    mk("outside", 0755);
    put("outside/secret", "host-secret", 0600);
    path(l, sizeof l, "root/esc");
    CHECK(symlink("../../../../../../../../../../../../..", l) == 0);
    path(l, sizeof l, "root/esc2");
    snprintf(t, sizeof t, "%s/outside", base);
    CHECK(symlink(t, l) == 0);   /* absolute: resolved inside the root too */
    /* a symlink to a folder inside the root is followed */
    path(l, sizeof l, "root/alias");
    CHECK(symlink("/data/sub", l) == 0);
    mk("vol", 0755);
}

static void teardown(void)
{
    fs_remove_tree(base);
}

static void test_fills_an_empty_volume(void)
{
    setup();
    char root[512], vol[512];
    path(root, sizeof root, "root");
    mk("vol/v1", 0755);
    path(vol, sizeof vol, "vol/v1");
    CHECK_OK(oci_volume_seed(root, "/data", vol));
    CHECK(has("vol/v1/a.txt", "alpha") && has("vol/v1/sub/b.txt", "beta") && has("vol/v1/hard.txt", "alpha"));
    struct stat a, h, d, s;
    char p[512];
    path(p, sizeof p, "vol/v1/a.txt");
    CHECK(stat(p, &a) == 0 && (a.st_mode & 07777) == 0640);
    path(p, sizeof p, "vol/v1/hard.txt");
    CHECK(stat(p, &h) == 0 && h.st_ino == a.st_ino);   /* a hard link stays one file */
    path(p, sizeof p, "vol/v1");
    CHECK(stat(p, &d) == 0 && (d.st_mode & 07777) == 0750);   /* the folder's own mode */
    path(p, sizeof p, "vol/v1/sub");
    CHECK(stat(p, &s) == 0 && (s.st_mode & 07777) == 0700);
    char target[64] = "";
    path(p, sizeof p, "vol/v1/link");
    CHECK(readlink(p, target, sizeof target - 1) == 5 && strncmp(target, "a.txt", 5) == 0);
    CHECK(count("vol") == 2);   /* v1 and its lock file: no .seeding left */
    teardown();
}

static void test_never_overwrites(void)
{
    setup();
    char root[512], vol[512];
    path(root, sizeof root, "root");
    mk("vol/v2", 0755);
    put("vol/v2/mine", "user-data", 0644);
    path(vol, sizeof vol, "vol/v2");
    CHECK_OK(oci_volume_seed(root, "/data", vol));
    CHECK(count("vol/v2") == 1 && has("vol/v2/mine", "user-data"));
    /* nothing at the destination in the image: stays empty */
    mk("vol/v3", 0755);
    path(vol, sizeof vol, "vol/v3");
    CHECK_OK(oci_volume_seed(root, "/nowhere", vol));
    CHECK_OK(oci_volume_seed(root, "/data/a.txt", vol));   /* a file, not a folder */
    CHECK(count("vol/v3") == 0);
    teardown();
}

static void test_symlinks_stay_inside(void)
{
    setup();
    char root[512], vol[512];
    path(root, sizeof root, "root");
    mk("vol/v4", 0755);
    path(vol, sizeof vol, "vol/v4");
    /* /esc/<base>/outside must not reach the host's folder */
    char dest[256];
    snprintf(dest, sizeof dest, "/esc%s/outside", base);
    CHECK_OK(oci_volume_seed(root, dest, vol));
    CHECK(count("vol/v4") == 0);
    CHECK_OK(oci_volume_seed(root, "/esc2", vol));
    CHECK(count("vol/v4") == 0);
    /* an in-root symlink is followed like the container would see it */
    CHECK_OK(oci_volume_seed(root, "/alias", vol));
    CHECK(has("vol/v4/b.txt", "beta"));
    teardown();
}

static void test_leftover_and_errors(void)
{
    setup();
    char root[512], vol[512];
    path(root, sizeof root, "root");
    mk("vol/v5", 0755);
    mk("vol/v5.seeding", 0700);          /* a copy a crash left behind */
    put("vol/v5.seeding/junk", "x", 0644);
    path(vol, sizeof vol, "vol/v5");
    CHECK_OK(oci_volume_seed(root, "/data", vol));
    CHECK(has("vol/v5/a.txt", "alpha"));
    path(vol, sizeof vol, "vol/v5/junk");
    CHECK(access(vol, F_OK) != 0);
    path(vol, sizeof vol, "vol/missing");
    CHECK_RC(BERTH_ERROR, oci_volume_seed(root, "/data", vol));
    CHECK_MSG("/data");
    teardown();
}

int main(void)
{
    RUN(test_fills_an_empty_volume);
    RUN(test_never_overwrites);
    RUN(test_symlinks_stay_inside);
    RUN(test_leftover_and_errors);
    return check_done();
}
