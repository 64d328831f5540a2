/* libcurl, loaded at first use (core/dynlib.h says why). Include this, never <curl/curl.h>. */
#ifndef BERTH_REGISTRY_CURL_LIB_H
#define BERTH_REGISTRY_CURL_LIB_H
/* the type-checking macros of curl.h would hide the functions this table stands for */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#ifdef _WIN32
/* Windows: the linker delay-loads the DLL (NMakefile /DELAYLOAD); nothing to do here. */
static inline int curl_lib_load(void) { return 0; }
#else
/* Loads libcurl once per process; call before the first curl call of an operation (the
 * functions that create handles do). 0, or BERTH_EUNSUPPORTED with a message naming the package. */
int curl_lib_load(void);

/* One pointer per function the library calls, named like the function. */
#define CURL_LIB_SYMBOLS(X) \
    X(curl_easy_cleanup) X(curl_easy_escape) X(curl_easy_getinfo) X(curl_easy_init) \
    X(curl_easy_perform) X(curl_easy_reset) X(curl_easy_setopt) X(curl_easy_strerror) \
    X(curl_free) X(curl_getdate) X(curl_global_cleanup) X(curl_global_init) \
    X(curl_multi_add_handle) X(curl_multi_cleanup) X(curl_multi_info_read) X(curl_multi_init) \
    X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_remove_handle) X(curl_multi_setopt) \
    X(curl_slist_append) X(curl_slist_free_all) X(curl_url) X(curl_url_cleanup) X(curl_url_get) \
    X(curl_url_set)
struct curl_lib {
#define X(name) __typeof__(name) *name;
    CURL_LIB_SYMBOLS(X)
#undef X
};
const struct curl_lib *curl_lib(void);

/* Every call below goes through the table, except in curl_lib_posix.c (which fills it) and in
 * tests that link the library directly to build their fixtures (they define the _DIRECT macro). */
#ifndef CURL_LIB_DIRECT
/* curl.h keeps pass-through macros for these even with its type checks off */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_easy_cleanup (curl_lib()->curl_easy_cleanup)
#define curl_easy_escape (curl_lib()->curl_easy_escape)
#define curl_easy_getinfo (curl_lib()->curl_easy_getinfo)
#define curl_easy_init (curl_lib()->curl_easy_init)
#define curl_easy_perform (curl_lib()->curl_easy_perform)
#define curl_easy_reset (curl_lib()->curl_easy_reset)
#define curl_easy_setopt (curl_lib()->curl_easy_setopt)
#define curl_easy_strerror (curl_lib()->curl_easy_strerror)
#define curl_free (curl_lib()->curl_free)
#define curl_getdate (curl_lib()->curl_getdate)
#define curl_global_cleanup (curl_lib()->curl_global_cleanup)
#define curl_global_init (curl_lib()->curl_global_init)
#define curl_multi_add_handle (curl_lib()->curl_multi_add_handle)
#define curl_multi_cleanup (curl_lib()->curl_multi_cleanup)
#define curl_multi_info_read (curl_lib()->curl_multi_info_read)
#define curl_multi_init (curl_lib()->curl_multi_init)
#define curl_multi_perform (curl_lib()->curl_multi_perform)
#define curl_multi_poll (curl_lib()->curl_multi_poll)
#define curl_multi_remove_handle (curl_lib()->curl_multi_remove_handle)
#define curl_multi_setopt (curl_lib()->curl_multi_setopt)
#define curl_slist_append (curl_lib()->curl_slist_append)
#define curl_slist_free_all (curl_lib()->curl_slist_free_all)
#define curl_url (curl_lib()->curl_url)
#define curl_url_cleanup (curl_lib()->curl_url_cleanup)
#define curl_url_get (curl_lib()->curl_url_get)
#define curl_url_set (curl_lib()->curl_url_set)
#endif
#endif
#endif
