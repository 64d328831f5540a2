/* Entry-name cleaning and Windows name rules. */
#include "check.h"
#include "core/error.h"
#include "layer/path.h"
#include <string.h>

static char out[LAYER_PATH_MAX];

static void clean_ok(const char *in, const char *want, int windows)
{
    berth_error_clear();
    int rc = layer_path_clean(out, in, windows);
    if (rc != 0)
        printf("#   clean(\"%s\") failed: %s\n", in, berth_errmsg());
    CHECK(rc == 0);
    if (rc == 0)
        CHECK_STREQ(out, want);
}

static void clean_refused(const char *in, int windows, const char *why)
{
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, layer_path_clean(out, in, windows));
    CHECK_MSG(why);
}

static void cleans_names(void)
{
    clean_ok("a/b", "a/b", 0);
    clean_ok("./a//b/", "a/b", 0);
    clean_ok("./", "", 0);
    clean_ok(".", "", 0);
    clean_ok("a/./b/.", "a/b", 0);
    clean_ok("a\\b", "a\\b", 0);            /* a Linux name may hold a backslash */
    clean_ok("Files\\Windows\\x", "Files/Windows/x", 1);
    clean_ok("..foo/.wh..wh..opq", "..foo/.wh..wh..opq", 0);
}

static void refuses_escapes(void)
{
    clean_refused("/etc/passwd", 0, "absolute");
    clean_refused("//etc", 0, "absolute");
    clean_refused("..", 0, "climbs");
    clean_refused("../x", 0, "climbs");
    clean_refused("a/../../x", 0, "climbs");
    clean_refused("a/..", 0, "climbs");        /* even a harmless climb: names must be plain */
    clean_refused("Files\\..\\..\\x", 1, "climbs");
    clean_refused("\\Windows", 1, "absolute");
    clean_refused("C:\\Windows", 1, "drive letter");
    berth_error_clear();
    CHECK_RC(BERTH_EUNSAFE, layer_path_clean(out, NULL, 0));
}

static void refuses_long_names(void)
{
    char name[LAYER_PATH_MAX + 64];
    memset(name, 'n', 300);
    name[300] = '\0';
    clean_refused(name, 0, "component");
    for (size_t i = 0; i < sizeof name - 1; i += 2)
        name[i] = 'a', name[i + 1] = '/';
    name[sizeof name - 1] = '\0';
    clean_refused(name, 0, "longer than");
}

static void leaf_of_paths(void)
{
    CHECK_STREQ(layer_path_leaf("a/b/c"), "c");
    CHECK_STREQ(layer_path_leaf("c"), "c");
    CHECK_STREQ(layer_path_leaf(""), "");
}

static void windows_names(void)
{
    const char *bad[] = { "CON", "con", "Con.txt", "NUL", "nul.tar.gz", "COM1", "lpt9.log", "AUX", "PRN",
                          "name.", "name ", "a<b", "a>b", "a:b", "a\"b", "a|b", "a?b", "a*b", "a\x01" "b", "CONIN$" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (!layer_windows_name_problem(bad[i]))
            printf("#   \"%s\" should be refused on Windows\n", bad[i]);
        CHECK(layer_windows_name_problem(bad[i]) != NULL);
    }
    const char *good[] = { "CONSOLE", "COM0", "COM10", "nul_", "file.txt", ".hidden", "a b", "LPT" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (layer_windows_name_problem(good[i]))
            printf("#   \"%s\" should be fine on Windows\n", good[i]);
        CHECK(layer_windows_name_problem(good[i]) == NULL);
    }
}

int main(void)
{
    RUN(cleans_names);
    RUN(refuses_escapes);
    RUN(refuses_long_names);
    RUN(leaf_of_paths);
    RUN(windows_names);
    return check_done();
}
