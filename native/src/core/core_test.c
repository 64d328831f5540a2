/* Unit tests for core/: errors, digests, bounded buffers, JSON limits, atomic files. */
#include "check.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdlib.h>
#include <unistd.h>

static void error_wrap_adds_context(void)
{
    berth_error_clear();
    CHECK_RC(BERTH_ENOTFOUND, berth_fail(BERTH_ENOTFOUND, "blob %s missing", "x"));
    CHECK_RC(BERTH_ENOTFOUND, berth_wrap(0, "pull %s", "busybox"));
    CHECK_STREQ(berth_errmsg(), "pull busybox: blob x missing");
    CHECK(berth_errcode() == BERTH_ENOTFOUND);
    berth_error_clear();
    CHECK_STREQ(berth_errmsg(), "");
}

static void digest_of_abc(void)
{
    berth_digest d, p;
    CHECK_OK(digest_of_buffer(&d, "abc", 3));
    CHECK_STREQ(d.text, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_OK(digest_parse(&p, d.text));
    CHECK(digest_equal(&d, &p));
    CHECK_RC(BERTH_EINVAL, digest_parse(&p, "sha256:BA7816"));
    CHECK_RC(BERTH_EINVAL, digest_parse(&p, "md5:00"));
}

static void buf_respects_its_ceiling(void)
{
    berth_buf b = BERTH_BUF_INIT(8);
    CHECK_OK(buf_append(&b, "12345678", 8));
    CHECK_RC(BERTH_EINVAL, buf_append(&b, "9", 1));
    CHECK_STREQ(b.data, "12345678");
    buf_free(&b);
}

static void json_depth_is_limited(void)
{
    char deep[400];
    for (int i = 0; i < 200; i++) deep[i] = '[';
    for (int i = 0; i < 200; i++) deep[200 + i] = ']';
    json_object *o = NULL;
    CHECK_RC(BERTH_EINVAL, json_parse_limited(&o, deep, sizeof deep, "manifest"));
    CHECK_MSG("manifest");
    CHECK_RC(BERTH_EINVAL, json_parse_limited(&o, "{} x", 4, "config"));
    CHECK_OK(json_parse_limited(&o, "{\"a\": 1} \n", 10, "ok"));
    CHECK(json_int(o, "a", 0) == 1);
    json_object_put(o);
}

/* Found by tests/fuzz/fuzz_json.c: bare numbers and literals are whole documents; NUL bytes
 * after a document are not whitespace; json-c's lenient extensions are refused, and so is what
 * its strict mode still takes but encoding/json does not (control characters in strings,
 * unknown escapes, "1.", "-01", "0.e1"). */
static void json_edges(void)
{
    json_object *o = NULL;
    static const struct { const char *text; size_t len; int ok; } cases[] = {
        { "0", 1, 1 }, { "-0", 2, 1 }, { "true", 4, 1 }, { "1.5e3", 5, 1 }, { "\"s\"", 3, 1 },
        { "[1]", 3, 1 }, { "  {}  ", 6, 1 },
        { "tru", 3, 0 }, { "", 0, 0 }, { "   ", 3, 0 }, { "null", 4, 0 }, { "{", 1, 0 },
        { "-0\0", 3, 0 }, { "{}\0\0", 4, 0 }, { "[1,]", 4, 0 }, { "/*c*/{}", 7, 0 },
        { "[-0.5e-3]", 9, 1 }, { "[1E+2,0,10]", 11, 1 }, { "\"\\u00e9\\n\\\"\\/\"", 14, 1 },
        { "\"\x7f\"", 3, 1 },
        { "\"a\tb\"", 5, 0 }, { "\"a\nb\"", 5, 0 }, { "1.", 2, 0 }, { "[1.]", 4, 0 }, { "-01", 3, 0 },
        { "[01]", 4, 0 }, { "[0.e1]", 6, 0 }, { "[1e]", 4, 0 }, { "[1e+]", 5, 0 }, { "\"\\x41\"", 6, 0 },
        { "\"\\u00G0\"", 8, 0 }, { "\"\\u12\"", 6, 0 },
        { "NaN", 3, 0 }, { "[1e999]", 7, 0 }, { "-Infinity", 9, 0 }, { "{\"a\":1,}", 8, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o = NULL;
        int rc = json_parse_limited(&o, cases[i].text, cases[i].len, "doc");
        if ((rc == 0) != cases[i].ok)
            printf("# case %zu \"%s\": rc %d (%s)\n", i, cases[i].text, rc, berth_errmsg());
        CHECK((rc == 0) == cases[i].ok);
        if (rc == 0)
            json_object_put(o);
        else
            CHECK_MSG("doc: ");
    }
}

static void atomic_write_then_read(void)
{
    char dir[] = "/tmp/berth-core-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *p = fs_join(dir, "f.json");
    CHECK_OK(fs_write_atomic(p, "hello", 5, 0600));
    char *data = NULL;
    size_t len = 0;
    CHECK_OK(fs_read_file(&data, &len, p, 100));
    CHECK(len == 5);
    CHECK_STREQ(data, "hello");
    free(data);
    CHECK_RC(BERTH_EINVAL, fs_read_file(&data, &len, p, 3));
    CHECK_OK(fs_remove_tree(dir));
    CHECK(!fs_exists(dir));
    free(p);
}

int main(void)
{
    RUN(error_wrap_adds_context);
    RUN(digest_of_abc);
    RUN(buf_respects_its_ceiling);
    RUN(json_depth_is_limited);
    RUN(json_edges);
    RUN(atomic_write_then_read);
    return check_done();
}
