/* archive_src: names checked, links followed inside only, files hashed, JSON kept, hostile
 * entries refused with the right code; tars built here with libarchive. */
#include "check.h"
#include "core/error.h"
#include "image/archive_src.h"
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *name;
    int type;            /* 'f' file, 's' symlink, 'h' hard link, 'c' char device */
    const char *data;    /* file bytes, or the link target */
} ent;

/* One TAP line per expectation, through check.h's runner. */
static int expect_cond;
static void expect_case(void) { CHECK(expect_cond); }
#define EXPECT(cond, name) do { expect_cond = (cond); check_run(name, expect_case); } while (0)

static char dir[] = "/tmp/berth-archive-src-XXXXXX";

static const char *make_tar(const char *file, const ent *e, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_open_filename(a, path);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *x = archive_entry_new();
        archive_entry_set_pathname(x, e[i].name);
        archive_entry_set_perm(x, 0644);
        if (e[i].type == 'f') {
            archive_entry_set_filetype(x, AE_IFREG);
            archive_entry_set_size(x, (la_int64_t)strlen(e[i].data));
        } else if (e[i].type == 's') {
            archive_entry_set_filetype(x, AE_IFLNK);
            archive_entry_set_symlink(x, e[i].data);
        } else if (e[i].type == 'h') {
            archive_entry_set_filetype(x, AE_IFREG);
            archive_entry_set_hardlink(x, e[i].data);
        } else {
            archive_entry_set_filetype(x, AE_IFCHR);
        }
        archive_write_header(a, x);
        if (e[i].type == 'f')
            archive_write_data(a, e[i].data, strlen(e[i].data));
        archive_entry_free(x);
    }
    archive_write_close(a);
    archive_write_free(a);
    return path;
}

static int open_code(const char *file, const ent *e, size_t n)
{
    archive_src *s = NULL;
    int rc = archive_src_open(&s, make_tar(file, e, n), NULL, NULL);
    archive_src_close(s);
    return rc;
}

typedef struct {
    char got[64];
    int calls;
} stream_seen;

static int collect(archive_entry_info *e, archive_reader *r, void *payload)
{
    stream_seen *s = payload;
    size_t n = 0;
    s->calls++;
    (void)e;
    return archive_reader_read(r, s->got, sizeof s->got - 1, &n);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const ent good[] = {
        { "./manifest.json", 'f', "[{\"Config\":\"c.json\"}]" },
        { "layers/a.tar", 'f', "layer bytes" },
        { "legacy/x/layer.tar", 's', "../../layers/a.tar" },
        { "hard.tar", 'h', "layers/a.tar" },
    };
    archive_src *s = NULL;
    int rc = archive_src_open(&s, make_tar("good.tar", good, 4), NULL, NULL);
    EXPECT(rc == 0, "a good archive opens");
    archive_entry_info *m = s ? archive_src_lookup(s, "manifest.json", &rc) : NULL;
    EXPECT(m && m->data && strstr(m->data, "Config"), "\"./manifest.json\" is found as manifest.json, its JSON kept");
    archive_entry_info *l = s ? archive_src_lookup(s, "layers/a.tar", &rc) : NULL;
    berth_digest want;
    digest_of_buffer(&want, "layer bytes", 11);
    EXPECT(l && !l->data && digest_equal(&l->digest, &want) && l->size == 11, "a non-JSON file is hashed, not kept");
    EXPECT(s && archive_src_lookup(s, "legacy/x/layer.tar", &rc) == l, "a relative symlink inside resolves to its target");
    EXPECT(s && archive_src_lookup(s, "hard.tar", &rc) == l, "a hard link resolves to its target");
    EXPECT(s && !archive_src_lookup(s, "nope", &rc) && rc == BERTH_ENOTFOUND, "a missing name is BERTH_ENOTFOUND");
    EXPECT(s && !archive_src_lookup(s, "../x", &rc) && rc == BERTH_EUNSAFE, "a climbing lookup is BERTH_EUNSAFE");
    stream_seen seen = { "", 0 };
    if (l)
        l->wanted = 1;
    rc = s ? archive_src_stream(s, collect, &seen) : -1;
    EXPECT(rc == 0 && seen.calls == 1 && strcmp(seen.got, "layer bytes") == 0, "pass 2 streams the wanted file once");
    archive_src_close(s);

    const ent trav[] = { { "a/../../etc/x", 'f', "x" } };
    EXPECT(open_code("trav.tar", trav, 1) == BERTH_EUNSAFE, "\"..\" in a name is refused");
    const ent absn[] = { { "/etc/x", 'f', "x" } };
    EXPECT(open_code("abs.tar", absn, 1) == BERTH_EUNSAFE, "an absolute name is refused");
    const ent sym_abs[] = { { "l", 's', "/etc/passwd" } };
    EXPECT(open_code("symabs.tar", sym_abs, 1) == BERTH_EUNSAFE, "a symlink to an absolute path is refused");
    const ent sym_up[] = { { "d/l", 's', "../../x" } };
    EXPECT(open_code("symup.tar", sym_up, 1) == BERTH_EUNSAFE, "a symlink climbing out is refused");
    const ent dev[] = { { "null", 'c', "" } };
    EXPECT(open_code("dev.tar", dev, 1) == BERTH_EUNSAFE, "a device entry is refused");
    const ent dup[] = { { "a", 'f', "1" }, { "./a", 'f', "2" } };
    EXPECT(open_code("dup.tar", dup, 2) == BERTH_EUNSAFE, "the same name twice is refused");
    const ent loop[] = { { "a", 's', "b" }, { "b", 's', "a" } };
    s = NULL;
    rc = archive_src_open(&s, make_tar("loop.tar", loop, 2), NULL, NULL);
    EXPECT(rc == 0 && !archive_src_lookup(s, "a", &rc) && rc == BERTH_EUNSAFE, "a symlink loop is refused on lookup");
    archive_src_close(s);
    EXPECT(archive_src_open(&s, "/nonexistent/berth.tar", NULL, NULL) == BERTH_ENOTFOUND, "a missing archive is BERTH_ENOTFOUND");

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
