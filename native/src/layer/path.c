#include "layer/path.h"
#include "core/error.h"
#include <ctype.h>
#include <string.h>

int layer_path_clean(char *out, const char *name, int windows)
{
    if (!name)
        return berth_fail(BERTH_EUNSAFE, "the entry has no name (or one that cannot be decoded)");
    if (name[0] == '/' || (windows && name[0] == '\\'))
        return berth_fail(BERTH_EUNSAFE, "absolute name; layer entries must be relative to the layer root");
    if (windows && isalpha((unsigned char)name[0]) && name[1] == ':')
        return berth_fail(BERTH_EUNSAFE, "name with a drive letter; layer entries must be relative");
    size_t o = 0;
    const char *p = name;
    while (*p) {
        const char *s = p;
        while (*p && *p != '/' && !(windows && *p == '\\'))
            p++;
        size_t n = (size_t)(p - s);
        if (*p)
            p++;
        if (n == 0 || (n == 1 && s[0] == '.'))
            continue;
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return berth_fail(BERTH_EUNSAFE, "name climbs out of the layer root with \"..\"");
        if (n > LAYER_NAME_MAX)
            return berth_fail(BERTH_EUNSAFE, "a name component is %zu bytes long (the limit is %d)", n, LAYER_NAME_MAX);
        if (o + (o ? 1 : 0) + n >= LAYER_PATH_MAX)
            return berth_fail(BERTH_EUNSAFE, "name longer than %d bytes", LAYER_PATH_MAX - 1);
        if (o)
            out[o++] = '/';
        memcpy(out + o, s, n);
        o += n;
    }
    out[o] = '\0';
    return 0;
}

const char *layer_path_leaf(const char *clean)
{
    const char *s = strrchr(clean, '/');
    return s ? s + 1 : clean;
}

static int name_is(const char *base, size_t n, const char *word)
{
    size_t w = strlen(word);
    if (n != w)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)base[i]) != word[i])
            return 0;
    return 1;
}

const char *layer_windows_name_problem(const char *c)
{
    size_t len = strlen(c);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)c[i];
        if (ch < 32)
            return "it holds a control character";
        if (strchr("<>:\"|?*", ch))
            return "it holds one of < > : \" | ? *";
    }
    if (len && (c[len - 1] == '.' || c[len - 1] == ' ') && strcmp(c, ".") != 0 && strcmp(c, "..") != 0)
        return "it ends with a dot or a space";
    /* Device names are reserved with any extension: "NUL.txt" is NUL too. */
    size_t base = strcspn(c, ".");
    while (base > 0 && c[base - 1] == ' ')
        base--;
    static const char *const reserved[] = { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" };
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (name_is(c, base, reserved[i]))
            return "it is a reserved device name";
    if (base == 4 && (name_is(c, 3, "COM") || name_is(c, 3, "LPT")) && c[3] >= '1' && c[3] <= '9')
        return "it is a reserved device name";
    return NULL;
}
