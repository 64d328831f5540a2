#include "core/utf16.h"
#include "core/error.h"
#include <windows.h>
#include <stdlib.h>
#include <string.h>

wchar_t *utf8_to_utf16(const char *s, const char *what)
{
    if (!s) {
        berth_fail(BERTH_EINVAL, "%s: missing", what);
        return NULL;
    }
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0) {
        berth_fail(BERTH_EINVAL, "%s: not valid UTF-8", what);
        return NULL;
    }
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (!w) {
        berth_fail_oom();
        return NULL;
    }
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        free(w);
        berth_fail(BERTH_EINVAL, "%s: not valid UTF-8", what);
        return NULL;
    }
    return w;
}

char *utf16_to_utf8(const wchar_t *w, const char *what)
{
    if (!w) {
        berth_fail(BERTH_EINVAL, "%s: missing", what);
        return NULL;
    }
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0) {
        berth_fail(BERTH_EINVAL, "%s: not valid UTF-16 (an unpaired surrogate?)", what);
        return NULL;
    }
    char *s = malloc((size_t)n);
    if (!s) {
        berth_fail_oom();
        return NULL;
    }
    if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        berth_fail(BERTH_EINVAL, "%s: not valid UTF-16", what);
        return NULL;
    }
    return s;
}

wchar_t *utf8_to_long_path(const char *path)
{
    wchar_t *w = utf8_to_utf16(path, path ? path : "path");
    if (!w)
        return NULL;
    for (wchar_t *p = w; *p; p++)
        if (*p == L'/')
            *p = L'\\';
    if (wcsncmp(w, L"\\\\?\\", 4) == 0)
        return w;   /* already a verbatim path */
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    wchar_t *full = n ? malloc(((size_t)n + 8) * sizeof *full) : NULL;
    if (!full) {
        free(w);
        if (n)
            berth_fail_oom();
        else
            berth_fail(BERTH_EINVAL, "path %s: cannot be made absolute (error %lu)", path, GetLastError());
        return NULL;
    }
    int unc = w[0] == L'\\' && w[1] == L'\\';
    wcscpy(full, unc ? L"\\\\?\\UNC" : L"\\\\?\\");
    size_t pre = wcslen(full);
    DWORD got = GetFullPathNameW(w, n, full + pre, NULL);
    free(w);
    if (got == 0 || got >= n) {
        free(full);
        berth_fail(BERTH_EINVAL, "path %s: cannot be made absolute", path);
        return NULL;
    }
    if (unc)   /* \\server\share → \\?\UNC\server\share: drop one of the two leading slashes */
        memmove(full + pre, full + pre + 1, (wcslen(full + pre + 1) + 1) * sizeof *full);
    return full;
}
