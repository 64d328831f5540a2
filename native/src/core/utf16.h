/* UTF-8 ↔ UTF-16 at the Windows edge: the library speaks UTF-8 everywhere and converts only
 * where it calls a wide Win32, HCS or HNS function (Windows only; utf16_win32.c). */
#ifndef BERTH_CORE_UTF16_H
#define BERTH_CORE_UTF16_H
#include <wchar.h>

/* malloc'ed wide copy of s; NULL (message set, naming what) on invalid UTF-8 or OOM. */
wchar_t *utf8_to_utf16(const char *s, const char *what);
/* malloc'ed UTF-8 copy of w; NULL (message set) on an unpaired surrogate or OOM. */
char *utf16_to_utf8(const wchar_t *w, const char *what);
/* A path for the wide file APIs: absolute, '/' turned into '\', and prefixed with \\?\ (or
 * \\?\UNC\) so that paths longer than MAX_PATH work. */
wchar_t *utf8_to_long_path(const char *path);

#endif
