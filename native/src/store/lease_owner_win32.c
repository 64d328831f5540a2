/* Windows lease owners: the process id plus its creation time (a FILETIME, in decimal), so a
 * reused pid does not keep a dead pull's lease alive. */
#include "store/lease_owner.h"
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void creation_token(HANDLE h, char *token, size_t len)
{
    FILETIME created, exited, kernel, user;
    token[0] = '\0';
    if (GetProcessTimes(h, &created, &exited, &kernel, &user))
        snprintf(token, len, "%llu", ((unsigned long long)created.dwHighDateTime << 32) | created.dwLowDateTime);
}

int64_t lease_owner_self(char *token, size_t len)
{
    creation_token(GetCurrentProcess(), token, len);
    return (int64_t)GetCurrentProcessId();
}

int lease_owner_alive(int64_t pid, const char *token)
{
    if (pid <= 0)
        return 0;
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
    if (!h)
        return GetLastError() == ERROR_ACCESS_DENIED;  /* exists, but not ours to open: assume alive */
    DWORD code = 0;
    int alive = GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    if (alive && token && *token) {
        char now[32];
        creation_token(h, now, sizeof now);
        alive = !*now || strcmp(now, token) == 0;
    }
    CloseHandle(h);
    return alive;
}
