/* Ids, generated names, times and signal names for containers. */
#include "container/container.h"
#include "core/error.h"
#include <ctype.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void container_now(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    timespec_get(&ts, TIME_UTC);   /* C11: glibc and the Windows CRT both have it */
    time_t t = ts.tv_sec;
#ifdef _WIN32
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09ldZ", base, (long)ts.tv_nsec);
}

int container_new_id(char out[65])
{
    unsigned char r[32];
    if (RAND_bytes(r, sizeof r) != 1)
        return berth_fail(BERTH_ERROR, "create container: no random bytes for an id (OpenSSL RAND_bytes failed)");
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    return 0;
}

static const char *const adjectives[] = {
    "brave", "calm", "clever", "eager", "fancy", "gentle", "happy", "jolly", "keen", "lucid",
    "merry", "nifty", "proud", "quick", "quiet", "sharp", "steady", "sunny", "tidy", "vivid",
    "witty", "zen", "bold", "bright", "crisp", "deft", "fair", "firm", "neat", "swift",
};
static const char *const nouns[] = {
    "anchor", "beacon", "buoy", "cabin", "compass", "current", "dock", "harbor", "helm", "hull",
    "jetty", "keel", "lantern", "mast", "mooring", "pier", "quay", "rudder", "sail", "skiff",
    "tide", "wharf", "cove", "ferry", "galley", "inlet", "marina", "reef", "shoal", "wake",
};

int container_new_name(char *out, size_t len, unsigned attempt)
{
    unsigned char r[2];
    if (RAND_bytes(r, sizeof r) != 1)
        return berth_fail(BERTH_ERROR, "create container: no random bytes for a name");
    const char *a = adjectives[r[0] % (sizeof adjectives / sizeof adjectives[0])];
    const char *n = nouns[r[1] % (sizeof nouns / sizeof nouns[0])];
    /* after a few collisions add a number, like docker does */
    if (attempt < 3)
        snprintf(out, len, "%s_%s", a, n);
    else
        snprintf(out, len, "%s_%s%u", a, n, attempt);
    return 0;
}

/* docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
int container_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 2 || n > 128 || !isalnum((unsigned char)name[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
            return 0;
    return 1;
}

/* ASCII case-insensitive equality (strcasecmp is not in the Windows CRT). */
static int same_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static const struct { const char *name; int num; } signals[] = {
    { "HUP", 1 }, { "INT", 2 }, { "QUIT", 3 }, { "ILL", 4 }, { "TRAP", 5 }, { "ABRT", 6 }, { "BUS", 7 },
    { "FPE", 8 }, { "KILL", 9 }, { "USR1", 10 }, { "SEGV", 11 }, { "USR2", 12 }, { "PIPE", 13 },
    { "ALRM", 14 }, { "TERM", 15 }, { "STKFLT", 16 }, { "CHLD", 17 }, { "CONT", 18 }, { "STOP", 19 },
    { "TSTP", 20 }, { "TTIN", 21 }, { "TTOU", 22 }, { "URG", 23 }, { "XCPU", 24 }, { "XFSZ", 25 },
    { "VTALRM", 26 }, { "PROF", 27 }, { "WINCH", 28 }, { "IO", 29 }, { "PWR", 30 }, { "SYS", 31 },
};

int container_signal_number(const char *name)
{
    if (!name || !*name)
        return -1;
    if (isdigit((unsigned char)name[0])) {
        char *end;
        long v = strtol(name, &end, 10);
        return (*end || v < 1 || v > 64) ? -1 : (int)v;
    }
    const char *s = name;
    if (tolower((unsigned char)s[0]) == 's' && tolower((unsigned char)s[1]) == 'i' && tolower((unsigned char)s[2]) == 'g')
        s += 3;
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (same_ci(s, signals[i].name))
            return signals[i].num;
    return -1;
}
