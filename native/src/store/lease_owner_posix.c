#include "store/lease_owner.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses,
 * so count fields from the last ')'. */
static void start_token(int64_t pid, char *token, size_t len)
{
    char path[64], line[1024];
    token[0] = '\0';
    snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    char *p = strrchr(line, ')');
    if (!p)
        return;
    int field = 2;
    for (p++; *p && field < 22; p++)
        if (*p == ' ')
            field++;
    size_t k = 0;
    while (p[k] >= '0' && p[k] <= '9' && k + 1 < len) {
        token[k] = p[k];
        k++;
    }
    token[k] = '\0';
}

int64_t lease_owner_self(char *token, size_t len)
{
    int64_t pid = (int64_t)getpid();
    start_token(pid, token, len);
    return pid;
}

int lease_owner_alive(int64_t pid, const char *token)
{
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
        return 0;
    if (!token || !*token)
        return 1;
    char now[32];
    start_token(pid, now, sizeof now);
    return !*now || strcmp(now, token) == 0;
}
