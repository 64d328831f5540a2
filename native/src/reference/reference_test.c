/* Table-driven tests of the reference grammar and docker's normalisation: valid references
 * with their parts, invalid ones with the words their message must contain. */
#include "check.h"
#include "reference/reference.h"
#include <json-c/json.h>
#include <stdlib.h>

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define D64 "sha256:" H64

typedef struct {
    const char *in, *domain, *path, *tag, *digest;
} valid_case;

static const valid_case valid[] = {
    { "busybox", "docker.io", "library/busybox", "latest", NULL },
    { "busybox:1.36", "docker.io", "library/busybox", "1.36", NULL },
    { "library/busybox", "docker.io", "library/busybox", "latest", NULL },
    { "docker.io/busybox", "docker.io", "library/busybox", "latest", NULL },
    { "docker.io/library/busybox:musl", "docker.io", "library/busybox", "musl", NULL },
    { "index.docker.io/busybox", "docker.io", "library/busybox", "latest", NULL },
    { "index.docker.io/someone/app", "docker.io", "someone/app", "latest", NULL },
    { "someone/app", "docker.io", "someone/app", "latest", NULL },
    { "someone/group/app:v2", "docker.io", "someone/group/app", "v2", NULL },
    { "mcr.microsoft.com/windows/nanoserver:ltsc2022", "mcr.microsoft.com", "windows/nanoserver", "ltsc2022", NULL },
    { "mcr.microsoft.com/windows/servercore:10.0.20348.2113-amd64", "mcr.microsoft.com", "windows/servercore",
      "10.0.20348.2113-amd64", NULL },
    { "localhost/app", "localhost", "app", "latest", NULL },
    { "localhost:5000/app:1.2", "localhost:5000", "app", "1.2", NULL },
    { "localhost:5000", "docker.io", "library/localhost", "5000", NULL }, /* one part: a name with a tag */
    { "127.0.0.1:5000/app:1.2", "127.0.0.1:5000", "app", "1.2", NULL },
    { "127.0.0.1:5000/a/b/c", "127.0.0.1:5000", "a/b/c", "latest", NULL },
    { "192.168.1.1", "docker.io", "library/192.168.1.1", "latest", NULL },
    { "192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", NULL },
    { "192.168.1.1/repo", "192.168.1.1", "repo", "latest", NULL },
    { "[::1]:5000/app", "[::1]:5000", "app", "latest", NULL },
    { "[::1]/app:x", "[::1]", "app", "x", NULL },
    { "[2001:db8::1]:5000/repo:tag@" D64, "[2001:db8::1]:5000", "repo", "tag", D64 },
    { "[2001:db8:1:2:3:4:5:6]/repo", "[2001:db8:1:2:3:4:5:6]", "repo", "latest", NULL },
    { "[2001:DB8::]:5000/repo", "[2001:DB8::]:5000", "repo", "latest", NULL },
    { "registry:5000/app", "registry:5000", "app", "latest", NULL },
    { "Registry/app", "Registry", "app", "latest", NULL },               /* uppercase first part: a host */
    { "LOCALDOMAIN/library/debian", "LOCALDOMAIN", "library/debian", "latest", NULL },
    { "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", NULL },
    { "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com", NULL },
    { "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", NULL },
    { "foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", NULL },
    { "test_com", "docker.io", "library/test_com", "latest", NULL },
    { "a__b", "docker.io", "library/a__b", "latest", NULL },
    { "a---b.c_d", "docker.io", "library/a---b.c_d", "latest", NULL },
    { "lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", NULL },
    { "app:_private", "docker.io", "library/app", "_private", NULL },
    { "app@" D64, "docker.io", "library/app", NULL, D64 },
    { "app:1.0@" D64, "docker.io", "library/app", "1.0", D64 },
    { "example.com/app@" D64, "example.com", "app", NULL, D64 },
    { "0", "docker.io", "library/0", "latest", NULL },
    /* more from distribution/reference's tests (reference_test.go, normalize_test.go), as
     * ParseNormalizedNamed sees them: */
    { "192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", NULL },
    { "test.com:tag", "docker.io", "library/test.com", "tag", NULL },
    { "test.com:5000", "docker.io", "library/test.com", "5000", NULL },
    { "foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", NULL },
    { "test-com:8080/foo", "test-com:8080", "foo", "latest", NULL },
    { "xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "latest", NULL },
    { "192.168.0.2:25000/debian", "192.168.0.2:25000", "debian", "latest", NULL },
    { "[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", "latest", NULL },
    { "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "library/debian", "latest", NULL },
    { "[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", "latest", NULL },
    { "docker.io/" H64, "docker.io", "library/" H64, "latest", NULL }, /* with a host: a name */
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", "docker.io",
      "library/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", "latest", NULL }, /* 63 */
    { "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
      "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "latest", NULL },
    { "DOCKER/docker", "DOCKER", "docker", "latest", NULL },
    { "Foo/bar", "Foo", "bar", "latest", NULL },
    { "library/foo/bar", "docker.io", "library/foo/bar", "latest", NULL },
    { "docker.io/library/foo/bar", "docker.io", "library/foo/bar", "latest", NULL },
    { "store/foo/bar", "docker.io", "store/foo/bar", "latest", NULL },
    { "other/library", "docker.io", "other/library", "latest", NULL },
    { "index.docker.io/library/ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base", "latest", NULL },
    { "docker---rules/docker", "docker.io", "docker---rules/docker", "latest", NULL },
    { "dock__er/docker", "docker.io", "dock__er/docker", "latest", NULL },
    { "jess/t", "docker.io", "jess/t", "latest", NULL },
    { "busybox:latest@" D64, "docker.io", "library/busybox", "latest", D64 },
};

typedef struct {
    const char *in;
    const char *needle;  /* must appear in the message */
} invalid_case;

static const invalid_case invalid[] = {
    { "", "empty" },
    { ":justtag", "character 1 (':')" },
    { "@" D64, "character 1 ('@')" },
    { "Uppercase", "must be lowercase" },
    { "Uppercase:tag", "character 1 ('U')" },
    { "test:5000/Uppercase/lowercase:tag", "character 11 ('U')" },
    { "docker.io/Library/app", "lowercase" },
    { "aa/asdf$$^/aa", "character 8 ('$')" },
    { "app:", "no tag" },
    { "app@", "digest" },
    { "app@sha256:abc", "needs 64" },
    { "app@sha256:" H64 "00", "needs 64" },
    { "app@sha512:" H64 H64, "sha512" },
    { "app@md5:" H64, "not supported" },
    { "app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "lowercase hex" },
    { "validname@invaliddigest:" H64, "not supported" },
    { "app:1.0:2.0", "character 4 (':')" },          /* the last ':' starts the tag */
    { "app:-dash", "cannot start a tag" },
    { "app:.dot", "cannot start a tag" },
    { "app:a+b", "character 6 ('+')" },
    { "a..b", "separator" },
    { "a._b", "separator" },
    { "a___b", "separator" },
    { "a-_b", "separator" },
    { "-app", "starts a repository name component" },
    { "app-", "ends a repository name component" },
    { "_app", "starts" },
    { "app/", "cannot end with '/'" },
    { "a//b", "empty repository name component" },
    { "/app", "character 1 ('/')" },
    { "docker.io/", "empty" },
    { "registry.example.com/", "empty" },
    { "my app", "character 3" },
    { " app", "character 1" },
    { "app\t", "character 4" },
    { "caf\xc3\xa9", "non-ASCII" },
    { "-bad.example.com/app", "hyphen" },
    { "bad-.example.com/app", "hyphen" },
    { "bad..example.com/app", "empty part" },
    { "bad_host.com/app", "character 4 ('_')" },
    { "example.com:/app", "no port" },
    { "example.com:80a/app", "character 15 ('a')" },
    { "example.com:99999/app", "65535" },
    { "[2001:db8::1]", "character 1 ('[')" },
    { "[2001:db8::1]:5000", "character" },
    { "[2001:db8::1]:tag", "character" },
    { "[fe80::1%eth0]:5000/repo", "character 9 ('%')" },
    { "[::1/app", "never closed" },
    { "[]:5000/app", "empty IPv6" },
    { "[::1]x/app", "only \":port\"" },
    { H64, "image id" },
    { "docker://quay.io/app", "character" },
    { "$$$", "character 1 ('$')" },
    { "::", "character 1 (':')" },
    /* more from distribution/reference's tests: */
    { "https://github.com/docker/docker", "character 6 (':')" },
    { "docker///docker", "empty repository name component" },
    { "docker.io/docker///docker", "empty repository name component" },
    { "docker.io/docker/Docker", "lowercase" },
    { "-docker.io/docker/docker", "hyphen" },
    { "docker-/docker", "ends a repository name component" },
    { "-docker-/docker", "starts a repository name component" },
    { "____/____", "starts" },
    { "_docker/_docker", "starts" },
    { "dock_.er/docker", "registry host name" },  /* the "." makes it a host */
    { "dock-.er/docker", "hyphen" },
    { "docker/", "cannot end with '/'" },
    { "[fc00::1]", "character 1 ('[')" },
    { "[fc00::1]:5000", "character" },
    { "fc00::1:5000/debian", "not a digit" },
    { "[2001:db8:3:4::192.0.2.33]:5000/debian", "IPv6" },
    { "[fe80::1%@invalidzone]:5000/repo", "character" },
    { "repo@sha256:ffffffffffffffffffffffffffffffffff", "needs 64" },
    { "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" H64 H64, "sha512" }, /* valid there; we speak sha256 only */
};

static void valid_vectors(void)
{
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        const valid_case *c = &valid[i];
        berth_ref r;
        int rc = reference_parse(&r, c->in);
        if (rc != 0) {
            printf("#   \"%s\": %s\n", c->in, berth_errmsg());
            CHECK(rc == 0);
            continue;
        }
        CHECK_STREQ(r.domain, c->domain);
        CHECK_STREQ(r.path, c->path);
        if (c->tag)
            CHECK_STREQ(r.tag, c->tag);
        else
            CHECK(r.tag == NULL);
        if (c->digest)
            CHECK_STREQ(r.digest, c->digest);
        else
            CHECK(r.digest == NULL);
        /* the normalised string parses back to itself */
        char *s = reference_string(&r);
        berth_ref again;
        CHECK_OK(reference_parse(&again, s));
        char *s2 = reference_string(&again);
        CHECK_STREQ(s2, s);
        free(s);
        free(s2);
        reference_clear(&again);
        reference_clear(&r);
    }
}

static void invalid_vectors(void)
{
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        berth_ref r;
        int rc = reference_parse(&r, invalid[i].in);
        if (rc != BERTH_EINVAL) {
            printf("#   \"%s\" parsed (rc %d) but is invalid\n", invalid[i].in, rc);
            CHECK(rc == BERTH_EINVAL);
            if (rc == 0)
                reference_clear(&r);
            continue;
        }
        CHECK(r.domain == NULL && r.path == NULL);
        if (!strstr(berth_errmsg(), invalid[i].needle)) {
            printf("#   \"%s\": message \"%s\" lacks \"%s\"\n", invalid[i].in, berth_errmsg(), invalid[i].needle);
            CHECK(0);
        }
    }
}

static void length_limit(void)
{
    /* docker.io/ + path: 10 + 245 = 255 fits; one more component character does not */
    char name[400];
    memset(name, 'a', sizeof name);
    strcpy(name, "someone/");
    memset(name + 8, 'b', 237);
    name[245] = '\0';
    berth_ref r;
    CHECK_OK(reference_parse(&r, name));
    reference_clear(&r);
    name[245] = 'b';
    name[246] = '\0';
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, name));
    CHECK_MSG("256 characters");
    /* the tag does not count towards the name */
    name[245] = '\0';
    strcat(name, ":a-long-tag-that-puts-the-whole-reference-over-255");
    CHECK_OK(reference_parse(&r, name));
    reference_clear(&r);
    /* absurd input is refused before scanning */
    char *huge = malloc(100000);
    memset(huge, 'a', 99999);
    huge[99999] = '\0';
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, huge));
    free(huge);
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, NULL));
    /* distribution/reference: "a/" x 128 + "a:tag" is too long; "a/" x 127 + "a:…" is 255
     * characters with "a" as its host there, but normalised (no '.', ':' or uppercase: a hub
     * name) it is docker.io/a/…, 265 characters, which ParseNormalizedNamed refuses too. */
    char slashes[300] = "";
    for (int i = 0; i < 128; i++)
        strcat(slashes, "a/");
    strcat(slashes, "a:tag");
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, slashes));
    CHECK_MSG("limit is 255");
    strcpy(slashes + 254, "a:tag-puts-this-over-max");
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, slashes));
    CHECK_MSG("265 characters");
    /* the same 255 characters under a host ("a.a/a/…") fit */
    memcpy(slashes, "a.", 2);
    CHECK_OK(reference_parse(&r, slashes));
    CHECK_STREQ(r.domain, "a.a");
    reference_clear(&r);
    /* tags: 128 characters fit, 129 do not */
    char tagged[200] = "app:";
    memset(tagged + 4, 't', 128);
    tagged[132] = '\0';
    CHECK_OK(reference_parse(&r, tagged));
    CHECK(r.tag && strlen(r.tag) == 128);
    reference_clear(&r);
    tagged[132] = 't';
    tagged[133] = '\0';
    CHECK_RC(BERTH_EINVAL, reference_parse(&r, tagged));
    CHECK_MSG("longer than 128");
}

static void strings_and_hosts(void)
{
    berth_ref r;
    CHECK_OK(reference_parse(&r, "busybox"));
    char *s = reference_string(&r), *repo = reference_repository(&r);
    CHECK_STREQ(s, "docker.io/library/busybox:latest");
    CHECK_STREQ(repo, "docker.io/library/busybox");
    CHECK_STREQ(reference_api_host(&r), "registry-1.docker.io");
    free(s);
    free(repo);
    reference_clear(&r);
    CHECK_OK(reference_parse(&r, "127.0.0.1:5000/app@" D64));
    s = reference_string(&r);
    CHECK_STREQ(s, "127.0.0.1:5000/app@" D64);
    CHECK_STREQ(reference_api_host(&r), "127.0.0.1:5000");
    free(s);
    reference_clear(&r);
    reference_clear(NULL);
}

static void insecure_registries(void)
{
    unsetenv("BERTH_INSECURE_REGISTRIES");
    CHECK(reference_is_insecure("localhost"));
    CHECK(reference_is_insecure("localhost:5000"));
    CHECK(reference_is_insecure("127.0.0.1:5000"));
    CHECK(reference_is_insecure("127.1.2.3"));
    CHECK(reference_is_insecure("[::1]:5000"));
    CHECK(reference_is_insecure("[::1]"));
    CHECK(!reference_is_insecure("docker.io"));
    CHECK(!reference_is_insecure("127.0.0.1.example.com"));
    CHECK(!reference_is_insecure("localhost.example.com:5000"));
    CHECK(!reference_is_insecure("[::2]:5000"));
    CHECK(!reference_is_insecure("registry.lan:5000"));
    CHECK(!reference_is_insecure(""));
    CHECK(!reference_is_insecure(NULL));
    setenv("BERTH_INSECURE_REGISTRIES", "registry.lan, other.lan:8080", 1);
    CHECK(reference_is_insecure("registry.lan:5000"));
    CHECK(reference_is_insecure("registry.lan"));
    CHECK(reference_is_insecure("other.lan:8080"));
    CHECK(!reference_is_insecure("other.lan:9090"));
    CHECK(!reference_is_insecure("registry.lan.evil.com"));
    unsetenv("BERTH_INSECURE_REGISTRIES");
}

static void public_parse_json(void)
{
    char *out = NULL;
    CHECK_OK(berth_reference_parse(&out, "localhost:5000/app@" D64));
    json_object *o = json_tokener_parse(out);
    CHECK(o != NULL);
    json_object *v;
    CHECK(json_object_object_get_ex(o, "domain", &v) && strcmp(json_object_get_string(v), "localhost:5000") == 0);
    CHECK(json_object_object_get_ex(o, "path", &v) && strcmp(json_object_get_string(v), "app") == 0);
    CHECK(json_object_object_get_ex(o, "tag", &v) && v == NULL);
    CHECK(json_object_object_get_ex(o, "digest", &v) && strcmp(json_object_get_string(v), D64) == 0);
    CHECK(json_object_object_get_ex(o, "repository", &v) && strcmp(json_object_get_string(v), "localhost:5000/app") == 0);
    CHECK(json_object_object_get_ex(o, "reference", &v) && strcmp(json_object_get_string(v), "localhost:5000/app@" D64) == 0);
    json_object_put(o);
    berth_free(out);
    out = (char *)1;
    CHECK_RC(BERTH_EINVAL, berth_reference_parse(&out, "UPPER"));
    CHECK(out == NULL);
    CHECK(berth_errcode() == BERTH_EINVAL);
    CHECK_OK(berth_reference_parse(&out, "ok"));
    CHECK_STREQ(berth_errmsg(), "");  /* a success clears the last message */
    berth_free(out);
}

/* Random strings over the grammar's own characters: every one parses and round-trips, or
 * fails BERTH_EINVAL with a message; nothing reads out of bounds (run under ASan too). */
static void random_inputs(void)
{
    static const char alphabet[] = "abcz09AZ:/@._-[]%+ sha256:";
    unsigned long long seed = 0x9E3779B97F4A7C15ull;
    int parsed = 0, bad_messages = 0, bad_roundtrips = 0;
    for (int n = 0; n < 20000; n++) {
        char s[48];
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t len = (size_t)(seed >> 59) + 1;   /* 1..32 */
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            s[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        s[len] = '\0';
        berth_ref r;
        int rc = reference_parse(&r, s);
        if (rc == 0) {
            parsed++;
            char *str = reference_string(&r);
            berth_ref again;
            if (reference_parse(&again, str) != 0)
                bad_roundtrips++;
            else
                reference_clear(&again);
            free(str);
            reference_clear(&r);
        } else if (rc != BERTH_EINVAL || strncmp(berth_errmsg(), "invalid reference", 17) != 0) {
            if (bad_messages++ < 3)
                printf("#   \"%s\": rc %d, %s\n", s, rc, berth_errmsg());
        }
    }
    CHECK(bad_messages == 0);
    CHECK(bad_roundtrips == 0);
    CHECK(parsed > 100);   /* the generator does reach valid references */
}

int main(void)
{
    RUN(valid_vectors);
    RUN(invalid_vectors);
    RUN(length_limit);
    RUN(strings_and_hosts);
    RUN(insecure_registries);
    RUN(public_parse_json);
    RUN(random_inputs);
    return check_done();
}
