/* Windows directory listing: FindFirstFileW over "<dir>\*", names handed out as UTF-8. */
#include "store/dir_walk.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int dir_walk(const char *dir, dir_walk_fn fn, void *payload)
{
    size_t n = strlen(dir);
    char *pattern = malloc(n + 3);
    if (!pattern)
        return berth_fail_oom();
    memcpy(pattern, dir, n);
    memcpy(pattern + n, "\\*", 3);
    int wn = MultiByteToWideChar(CP_UTF8, 0, pattern, -1, NULL, 0);
    wchar_t *w = wn > 0 ? malloc((size_t)wn * sizeof *w) : NULL;
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, pattern, -1, w, wn);
    free(pattern);
    if (!w)
        return berth_fail_oom();
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(w, &fd);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND
                   ? 0 : berth_fail(BERTH_ERROR, "list %s: Windows error %lu", dir, (unsigned long)e);
    }
    int rc = 0;
    do {
        char name[MAX_PATH * 4];
        if (WideCharToMultiByte(CP_UTF8, 0, fd.cFileName, -1, name, (int)sizeof name, NULL, NULL) <= 0)
            continue;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        rc = fn(name, payload);
    } while (rc == 0 && FindNextFileW(h, &fd));
    FindClose(h);
    return rc;
}
