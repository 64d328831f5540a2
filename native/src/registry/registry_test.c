/* Unit tests for the registry client's pure parts: auth challenges, Retry-After, backoff,
 * credential files (berth's auth.json and docker's config.json), redirect rules. The network
 * parts are covered by tests/integration/pull*.sh against a real docker-registry. */
#include "check.h"
#include "core/error.h"
#include "core/fs.h"
#include "registry/client.h"
#include "registry/credentials.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void challenge_bearer(void)
{
    registry_challenge ch;
    CHECK_OK(registry_parse_challenge(&ch, "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                           "scope=\"repository:library/busybox:pull\""));
    CHECK_STREQ(ch.scheme, "bearer");
    CHECK_STREQ(ch.realm, "https://auth.docker.io/token");
    CHECK_STREQ(ch.service, "registry.docker.io");
    CHECK_STREQ(ch.scope, "repository:library/busybox:pull");
    registry_challenge_clear(&ch);
    /* spaces, escapes, unknown params, error */
    CHECK_OK(registry_parse_challenge(&ch, "  bearer realm = \"http://127.0.0.1:1/t\\\"x\" , foo=bar, error=\"invalid_token\""));
    CHECK_STREQ(ch.realm, "http://127.0.0.1:1/t\"x");
    CHECK_STREQ(ch.error, "invalid_token");
    CHECK(ch.service == NULL);
    registry_challenge_clear(&ch);
}

static void challenge_basic_and_hostile(void)
{
    registry_challenge ch;
    CHECK_OK(registry_parse_challenge(&ch, "Basic realm=\"berth-test\""));
    CHECK_STREQ(ch.scheme, "basic");
    registry_challenge_clear(&ch);
    CHECK_RC(BERTH_EUNSUPPORTED, registry_parse_challenge(&ch, "Negotiate abc"));
    CHECK_MSG("negotiate");
    CHECK_RC(BERTH_EAUTH, registry_parse_challenge(&ch, "Bearer service=\"x\""));
    CHECK_MSG("realm");
    CHECK_RC(BERTH_EUNSUPPORTED, registry_parse_challenge(&ch, "AVeryLongSchemeNameThatIsNotReal realm=x"));
    CHECK_OK(registry_parse_challenge(&ch, "Bearer realm=\"unterminated"));
    CHECK_STREQ(ch.realm, "unterminated");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, ""));
    CHECK_STREQ(ch.scheme, "");
}

/* Found by tests/fuzz/fuzz_challenge.c seeds: one header may carry several challenges (RFC
 * 7235); the params of the second must not land in the first (a Basic realm used as the
 * Bearer token URL), and Bearer is preferred over Basic, Basic over schemes we do not speak. */
static void challenge_several_in_one_header(void)
{
    registry_challenge ch;
    CHECK_OK(registry_parse_challenge(&ch, "Bearer realm=\"https://t/token\",service=\"s\", Basic realm=\"other\""));
    CHECK_STREQ(ch.scheme, "bearer");
    CHECK_STREQ(ch.realm, "https://t/token");
    CHECK_STREQ(ch.service, "s");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Basic realm=\"r\", Bearer realm=\"https://t/token\",scope=\"repository:a:pull\""));
    CHECK_STREQ(ch.scheme, "bearer");
    CHECK_STREQ(ch.realm, "https://t/token");
    CHECK_STREQ(ch.scope, "repository:a:pull");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Negotiate, NTLM, Basic realm=\"r\""));
    CHECK_STREQ(ch.scheme, "basic");
    CHECK_STREQ(ch.realm, "r");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Bearer realm=\"a\",scope=\"x\" Basic"));
    CHECK_STREQ(ch.realm, "a");
    CHECK_STREQ(ch.scope, "x");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Bearer service=\"x\", Basic realm=\"r\""));
    CHECK_STREQ(ch.scheme, "basic");
    registry_challenge_clear(&ch);
    CHECK_RC(BERTH_EUNSUPPORTED, registry_parse_challenge(&ch, "Negotiate abc==, NTLM"));
    CHECK_MSG("\"negotiate\"");
    /* shapes from other clients' tables (regclient, the greenbytes HTTP auth cases) */
    CHECK_OK(registry_parse_challenge(&ch, "BaSiC ReAlM=\"Case insensitive key\""));
    CHECK_STREQ(ch.scheme, "basic");
    CHECK_STREQ(ch.realm, "Case insensitive key");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Basic realm=/"));
    CHECK_STREQ(ch.realm, "/");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\""));
    CHECK_STREQ(ch.scheme, "basic");
    CHECK_STREQ(ch.realm, "simple");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Basic realm=\"foo\", Basic realm=\"bar\""));
    CHECK_STREQ(ch.realm, "foo");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Basic realm=\"foo,bar\""));
    CHECK_STREQ(ch.realm, "foo,bar");
    registry_challenge_clear(&ch);
    CHECK_OK(registry_parse_challenge(&ch, "Basic , realm=\"foo\""));
    CHECK_STREQ(ch.realm, "foo");
    registry_challenge_clear(&ch);
}

static void retry_after(void)
{
    CHECK(registry_retry_after_ms("2", 60000) == 2000);
    CHECK(registry_retry_after_ms("0", 60000) == 0);
    CHECK(registry_retry_after_ms("100000", 60000) == 60000);
    CHECK(registry_retry_after_ms("-3", 60000) == -1);
    CHECK(registry_retry_after_ms("soon", 60000) == -1);
    CHECK(registry_retry_after_ms(NULL, 60000) == -1);
    CHECK(registry_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 60000) == 0); /* in the past */
    CHECK(registry_retry_after_ms("Fri, 01 Jan 2100 00:00:00 GMT", 60000) == 60000);
}

static void backoff_grows_and_caps(void)
{
    long a = registry_backoff_ms(1, 0), b = registry_backoff_ms(2, 0), z = registry_backoff_ms(40, 0);
    CHECK(a >= 250 && a < 350);
    CHECK(b >= 500 && b < 600);
    CHECK(z <= 8100);
}

static void credential_keys(void)
{
    char *k = credentials_key("https://index.docker.io/v1/");
    CHECK_STREQ(k, "docker.io");
    free(k);
    k = credentials_key("Registry-1.Docker.IO");
    CHECK_STREQ(k, "docker.io");
    free(k);
    k = credentials_key("http://127.0.0.1:5000/");
    CHECK_STREQ(k, "127.0.0.1:5000");
    free(k);
    k = credentials_key("[::1]:5000");
    CHECK_STREQ(k, "[::1]:5000");
    free(k);
}

static void credential_decode(void)
{
    char *u = NULL, *p = NULL;
    CHECK_OK(credentials_decode(&u, &p, "dXNlcjpwYTpzcw==")); /* user:pa:ss */
    CHECK_STREQ(u, "user");
    CHECK_STREQ(p, "pa:ss");
    free(u);
    free(p);
    CHECK_RC(BERTH_EINVAL, credentials_decode(&u, &p, "bm9jb2xvbg==")); /* nocolon */
    CHECK_RC(BERTH_EINVAL, credentials_decode(&u, &p, "***"));
    CHECK_RC(BERTH_EINVAL, credentials_decode(&u, &p, ""));
    CHECK(u == NULL && p == NULL);
}

static void credentials_roundtrip(void)
{
    char dir[] = "/tmp/berth-registry-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    berth_t *b = NULL;
    CHECK_OK(berth_open(&b, dir));
    char *dc = fs_join(dir, "docker");
    fs_mkdir_p(dc, 0700);
    char *cfg = fs_join(dc, "config.json");
    const char *docker = "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"ZG9jazpodWI=\"},"
                         " \"reg.example:5000\": {\"username\": \"u2\", \"password\": \"p2\"}}}";
    CHECK_OK(fs_write_atomic(cfg, docker, strlen(docker), 0600));
    setenv("DOCKER_CONFIG", dc, 1);
    char *u = NULL, *p = NULL, src[160];
    CHECK_OK(credentials_lookup(&u, &p, src, sizeof src, b, "docker.io"));
    CHECK_STREQ(u, "dock");
    CHECK_STREQ(p, "hub");
    CHECK(strstr(src, "config.json") != NULL);
    free(u);
    free(p);
    CHECK_OK(credentials_lookup(&u, &p, src, sizeof src, b, "reg.example:5000"));
    CHECK_STREQ(u, "u2");
    free(u);
    free(p);
    CHECK_RC(BERTH_ENOTFOUND, credentials_lookup(&u, &p, src, sizeof src, b, "other:1"));
    /* berth's own file wins over docker's and is private */
    CHECK_OK(credentials_store(b, "https://index.docker.io/v1/", "mine", "secret"));
    CHECK_OK(credentials_lookup(&u, &p, src, sizeof src, b, "docker.io"));
    CHECK_STREQ(u, "mine");
    CHECK_STREQ(p, "secret");
    CHECK(strstr(src, "auth.json") != NULL);
    free(u);
    free(p);
    char *aj = fs_join(dir, "auth.json");
    struct stat st;
    CHECK(stat(aj, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_OK(credentials_remove(b, "docker.io"));
    CHECK_RC(BERTH_ENOTFOUND, credentials_remove(b, "docker.io"));
    CHECK_MSG("not logged in");
    /* broken files are reported, not ignored */
    CHECK_OK(fs_write_atomic(cfg, "{\"auths\": [", 11, 0600));
    CHECK_RC(BERTH_EINVAL, credentials_lookup(&u, &p, src, sizeof src, NULL, "x:1"));
    unsetenv("DOCKER_CONFIG");
    free(aj);
    free(cfg);
    free(dc);
    berth_close(b);
    fs_remove_tree(dir);
}

static void redirects_and_schemes(void)
{
    registry_client *c = NULL;
    CHECK_OK(registry_client_new(&c, NULL, "127.0.0.1:5000"));
    char *next = NULL;
    int same = -1;
    CHECK_OK(client_resolve_redirect(c, "http://127.0.0.1:5000/v2/a/blobs/x", "/other/path?sig=1", &next, &same));
    CHECK_STREQ(next, "http://127.0.0.1:5000/other/path?sig=1");
    CHECK(same == 1);
    free(next);
    CHECK_OK(client_resolve_redirect(c, "http://127.0.0.1:5000/v2/a", "http://127.0.0.1:5001/b", &next, &same));
    CHECK(same == 0); /* another port is another origin: no Authorization there */
    free(next);
    CHECK_OK(client_resolve_redirect(c, "http://127.0.0.1:5000/v2/a", "https://storage.example/b", &next, &same));
    CHECK(same == 0);
    free(next);
    CHECK_RC(BERTH_EUNSUPPORTED, client_resolve_redirect(c, "http://127.0.0.1:5000/v2/a", "http://storage.example/b", &next, &same));
    CHECK_MSG("plain HTTP");
    CHECK_RC(BERTH_EUNSUPPORTED, client_resolve_redirect(c, "http://127.0.0.1:5000/v2/a", "file:///etc/passwd", &next, &same));
    CHECK_OK(client_url_allowed(c, "https://example.com/x", "t"));
    CHECK_OK(client_url_allowed(c, "http://[::1]:80/x", "t"));
    CHECK_RC(BERTH_EUNSUPPORTED, client_url_allowed(c, "ftp://example.com/x", "t"));
    registry_client_free(c);
    CHECK_OK(registry_client_new(&c, NULL, "registry.example.com"));
    CHECK_STREQ(c->base, "https://registry.example.com");
    registry_client_free(c);
    CHECK_OK(registry_client_new(&c, NULL, "docker.io"));
    CHECK_STREQ(c->base, "https://registry-1.docker.io");
    registry_client_free(c);
}

int main(void)
{
    RUN(challenge_bearer);
    RUN(challenge_basic_and_hostile);
    RUN(challenge_several_in_one_header);
    RUN(retry_after);
    RUN(backoff_grows_and_caps);
    RUN(credential_keys);
    RUN(credential_decode);
    RUN(credentials_roundtrip);
    RUN(redirects_and_schemes);
    return check_done();
}
