/* The Windows layer manifest as the import reads it, with hostile lines; base64, FILETIME and
 * the staged → imported folder mapping. */
#include "check.h"
#include "runtime/hcs/hcs.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

static int parse(hcs_manifest_entry *e, const char *line)
{
    return hcs_manifest_parse_line(e, line, strlen(line), 7);
}

static void entries_parse(void)
{
    hcs_manifest_entry e;
    CHECK_OK(parse(&e, "{\"path\":\"Files/Windows/System32/cmd.exe\",\"type\":\"file\",\"size\":102,"
                       "\"mtime_ns\":1600000000000000000,\"fileattr\":32,\"rawsd\":\"AQAEgA==\",\"future\":1}"));
    CHECK(e.type == HCS_ENTRY_FILE && e.has_fileattr && e.fileattr == 32);
    CHECK_STREQ(e.path, "Files/Windows/System32/cmd.exe");
    CHECK_STREQ(e.rawsd, "AQAEgA==");
    CHECK(e.mtime_ns == 1600000000000000000ll && !e.is_end);
    hcs_manifest_entry_free(&e);
    CHECK_OK(parse(&e, "{\"path\":\"Files/hard.exe\",\"type\":\"hardlink\",\"link\":\"Files/Windows/System32/cmd.exe\"}"));
    CHECK(e.type == HCS_ENTRY_HARDLINK);
    CHECK_STREQ(e.link, "Files/Windows/System32/cmd.exe");
    hcs_manifest_entry_free(&e);
    CHECK_OK(parse(&e, "{\"path\":\"Files/old.txt\",\"type\":\"whiteout\"}"));
    CHECK(e.type == HCS_ENTRY_WHITEOUT && !e.has_fileattr);
    hcs_manifest_entry_free(&e);
    CHECK_OK(parse(&e, "{\"path\":\"Files/link\",\"type\":\"symlink\",\"link\":\"..\\\\..\\\\anything\"}"));
    CHECK(e.type == HCS_ENTRY_SYMLINK);   /* a symlink's text is data, not a path we follow */
    hcs_manifest_entry_free(&e);
    CHECK_OK(parse(&e, "{\"end\":true,\"format\":\"berth-windows-layer\",\"version\":1,\"entries\":14,\"base\":true}"));
    CHECK(e.is_end && e.is_base && e.entries == 14);
    hcs_manifest_entry_free(&e);
}

static void hostile_lines_are_refused(void)
{
    static const struct { const char *line; int rc; } t[] = {
        { "{\"path\":\"Files/../../Windows/x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"../x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"/Files/x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"C:/Windows\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files\\\\..\\\\x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Other/x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files//x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files/x/\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files/a:stream\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files/\\u0001\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Filesystem/x\",\"type\":\"file\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files/h\",\"type\":\"hardlink\",\"link\":\"../../etc\"}", BERTH_EUNSAFE },
        { "{\"path\":\"Files/x\",\"type\":\"device\"}", BERTH_EINVAL },
        { "{\"path\":\"Files/x\"}", BERTH_EINVAL },
        { "{\"type\":\"file\"}", BERTH_EINVAL },
        { "{\"path\":7,\"type\":\"file\"}", BERTH_EINVAL },
        { "{\"path\":\"Files/x\",\"type\":\"file\",\"fileattr\":-1}", BERTH_EINVAL },
        { "{\"path\":\"Files/x\",\"type\":\"file\",\"fileattr\":4294967296}", BERTH_EINVAL },
        { "{\"path\":\"Files/x\",\"type\":\"file\",\"fileattr\":\"32\"}", BERTH_EINVAL },
        { "{\"end\":true,\"format\":\"berth-windows-layer\",\"version\":2}", BERTH_EUNSUPPORTED },
        { "{\"end\":true,\"format\":\"other\",\"version\":1}", BERTH_EUNSUPPORTED },
        { "[1,2]", BERTH_EINVAL },
        { "{\"path\":\"Files/x\",", BERTH_EINVAL },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        hcs_manifest_entry e;
        int rc = parse(&e, t[i].line);
        if (rc != t[i].rc)
            printf("#   line %s: %d (%s), wanted %d\n", t[i].line, rc, berth_errmsg(), t[i].rc);
        CHECK(rc == t[i].rc);
        CHECK(e.path == NULL && e.rawsd == NULL);
    }
    /* an oversized security descriptor */
    size_t big = 100000;
    char *line = malloc(big + 64);
    strcpy(line, "{\"path\":\"Files/x\",\"type\":\"file\",\"rawsd\":\"");
    size_t n = strlen(line);
    memset(line + n, 'A', big);
    strcpy(line + n + big, "\"}");
    hcs_manifest_entry e;
    CHECK_RC(BERTH_EINVAL, parse(&e, line));
    CHECK_MSG("security descriptor");
    free(line);
}

static void base64_vectors(void)
{
    static const struct { const char *in, *out; } t[] = {   /* RFC 4648 §10 */
        { "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" }, { "Zm9vYg==", "foob" }, { "Zm9vYmE=", "fooba" },
        { "Zm9vYmFy", "foobar" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        unsigned char *b = NULL;
        size_t n = 0;
        CHECK_OK(hcs_base64_decode(&b, &n, t[i].in));
        CHECK(n == strlen(t[i].out) && b && memcmp(b, t[i].out, n) == 0);
        free(b);
    }
    const char *bad[] = { "", "Zg=", "Z===", "Zm9v!", "Zg==Zg==", "Zm=v", "====", NULL };
    for (size_t i = 0; bad[i] || i == 0; i++) {
        unsigned char *b = NULL;
        size_t n = 0;
        CHECK_RC(BERTH_EINVAL, hcs_base64_decode(&b, &n, bad[i]));
        CHECK(b == NULL);
        if (!bad[i])
            break;
    }
}

static void filetime_from_unix(void)
{
    CHECK(hcs_filetime_from_unix_ns(0) == 116444736000000000ull);
    CHECK(hcs_filetime_from_unix_ns(1000000000ll) == 116444736000000000ull + 10000000ull);
    CHECK(hcs_filetime_from_unix_ns(1600000000000000000ll) == 132444736000000000ull);
    CHECK(hcs_filetime_from_unix_ns(-1000000000ll) == 116444736000000000ull - 10000000ull);   /* 1969 */
}

static void imported_folder_mapping(void)
{
    char *p = hcs_imported_layer_path("C:\\ProgramData\\berth\\layers\\a1b2");
    CHECK_STREQ(p, "C:\\ProgramData\\berth\\hcs\\layers\\a1b2");
    free(p);
    p = hcs_imported_layer_path("/var/lib/berth/layers/a1b2/");
    CHECK_STREQ(p, "/var/lib/berth/hcs/layers/a1b2");
    free(p);
    char a[HCS_GUID_LEN + 1], b[HCS_GUID_LEN + 1];   /* same base name: same GUID */
    CHECK_OK(hcs_layer_id(a, "C:\\ProgramData\\berth\\layers\\a1b2"));
    CHECK_OK(hcs_layer_id(b, "C:\\ProgramData\\berth\\hcs\\layers\\a1b2"));
    CHECK_STREQ(a, b);
    CHECK(hcs_imported_layer_path("a1b2") == NULL);
    CHECK_MSG("is not <root>");
    CHECK(hcs_imported_layer_path("layers\\a1b2") == NULL);

    runtime_layer layers[] = { { "C:\\r\\layers\\base", "sha256:1" }, { "C:\\r\\layers\\top", "sha256:2" } };
    runtime_spec in, out;
    memset(&in, 0, sizeof in);
    in.id = "x";
    in.layers = layers;
    in.n_layers = 2;
    runtime_layer *mem = NULL;
    CHECK_OK(hcs_spec_imported(&out, &mem, &in));
    CHECK_STREQ(out.layers[1].path, "C:\\r\\hcs\\layers\\top");
    CHECK_STREQ(out.layers[1].chain_id, "sha256:2");
    CHECK_STREQ(in.layers[1].path, "C:\\r\\layers\\top");   /* the input is untouched */
    hcs_spec_imported_free(mem, 2);
    layers[1].path = "top";
    CHECK_RC(BERTH_EINVAL, hcs_spec_imported(&out, &mem, &in));
    CHECK(mem == NULL);
}

static void layer_join(void)
{
    char *p = hcs_layer_join("C:\\r\\layers\\x\\", "Files/Windows/System32");
    CHECK_STREQ(p, "C:\\r\\layers\\x\\Files\\Windows\\System32");
    free(p);
}

/* Manifests written by the real unpacker (`berth layer unpack` of Windows layers), named by
 * tests/integration/hcs_layers.sh in BERTH_HCS_MANIFESTS (':'-separated): every line must
 * parse, every security descriptor decode, and the end line close the file. */
static void real_staging_manifests(void)
{
    const char *list = getenv("BERTH_HCS_MANIFESTS");
    char *copy = strdup(list), *save = NULL;
    int files = 0;
    for (char *path = strtok_r(copy, ":", &save); path; path = strtok_r(NULL, ":", &save)) {
        FILE *f = fopen(path, "r");
        CHECK(f != NULL);
        if (!f)
            continue;
        files++;
        char line[1 << 16];
        size_t n = 0;
        int ended = 0, entries = 0;
        while (fgets(line, sizeof line, f)) {
            n++;
            size_t len = strcspn(line, "\n");
            hcs_manifest_entry e;
            int rc = hcs_manifest_parse_line(&e, line, len, n);
            if (rc)
                printf("#   %s line %zu: %s\n", path, n, berth_errmsg());
            CHECK(rc == 0);
            CHECK(!ended);   /* nothing after the end line */
            if (rc == 0 && e.is_end) {
                ended = 1;
                CHECK(e.entries == entries);
            } else if (rc == 0) {
                entries++;
                if (e.rawsd) {
                    unsigned char *sd = NULL;
                    size_t sdlen = 0;
                    CHECK_OK(hcs_base64_decode(&sd, &sdlen, e.rawsd));
                    CHECK(sdlen >= 20 && sd && sd[0] == 1);   /* SECURITY_DESCRIPTOR_RELATIVE, revision 1 */
                    free(sd);
                }
            }
            hcs_manifest_entry_free(&e);
        }
        fclose(f);
        CHECK(ended);
    }
    CHECK(files > 0);
    free(copy);
}

/* Mutated manifest lines: an entry or a refusal, never a crash or a path that escapes. */
static void mutated_lines(void)
{
    static const char good[] = "{\"path\":\"Files/Windows/System32/cmd.exe\",\"type\":\"hardlink\","
                               "\"link\":\"Files/Windows/cmd.exe\",\"fileattr\":32,\"rawsd\":\"AQAEgA==\",\"mtime_ns\":1}";
    static const char junk[] = "./\\:\"{}[],0123456789abcdefAZ=+\x01";
    unsigned seed = 777;
    size_t n = sizeof good - 1;
    int entries = 0, refusals = 0, bad = 0;
    for (int round = 0; round < 3000; round++) {
        char buf[sizeof good];
        memcpy(buf, good, sizeof good);
        size_t len = n;
        for (int e = 0; e < 1 + round % 3; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 4 == 0)
                len = at + 1;
            else
                buf[at] = junk[(seed >> 4) % (sizeof junk - 1)];
        }
        hcs_manifest_entry e;
        if (hcs_manifest_parse_line(&e, buf, len, 1) == 0) {
            entries++;
            /* whatever parsed is clean: re-checking its paths must agree */
            if (e.path && hcs_layer_path_check(e.path) != 0)
                bad++;
            if (e.type == HCS_ENTRY_HARDLINK && e.link && hcs_layer_path_check(e.link) != 0)
                bad++;
            hcs_manifest_entry_free(&e);
        } else {
            refusals++;
            if (e.path || e.link || e.rawsd)
                bad++;
        }
    }
    printf("# %d entries, %d refusals\n", entries, refusals);
    CHECK(bad == 0);
    CHECK(entries > 0 && refusals > 0);
}

int main(void)
{
    RUN(entries_parse);
    RUN(hostile_lines_are_refused);
    RUN(base64_vectors);
    RUN(filetime_from_unix);
    RUN(imported_folder_mapping);
    RUN(layer_join);
    RUN(mutated_lines);
    if (getenv("BERTH_HCS_MANIFESTS"))
        RUN(real_staging_manifests);
    else
        check_skip("real_staging_manifests", "run by tests/integration/hcs_layers.sh on layers the unpacker staged");
    return check_done();
}
