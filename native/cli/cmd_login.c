/* berth login [-u USER] [-p PASS | --password-stdin] REGISTRY: the library checks the
 * credentials against the registry before it keeps them (<root>/auth.json, mode 0600). */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#  include <io.h>
#  include <windows.h>
#else
#  include <termios.h>
#  include <unistd.h>
#endif

/* Terminal echo off while a password is typed; returns whether it was switched off. */
#ifdef _WIN32
typedef DWORD echo_state;
static int stdin_is_terminal(void) { return _isatty(_fileno(stdin)); }
static int echo_off(echo_state *old)
{
    HANDLE h = GetStdHandle(STD_INPUT_HANDLE);
    if (!GetConsoleMode(h, old))
        return 0;
    return SetConsoleMode(h, *old & ~(DWORD)ENABLE_ECHO_INPUT) != 0;
}
static void echo_restore(const echo_state *old) { SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), *old); }
#else
typedef struct termios echo_state;
static int stdin_is_terminal(void) { return isatty(STDIN_FILENO); }
static int echo_off(echo_state *old)
{
    if (tcgetattr(STDIN_FILENO, old) != 0)
        return 0;
    struct termios raw = *old;
    raw.c_lflag &= ~(tcflag_t)ECHO;
    return tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
}
static void echo_restore(const echo_state *old) { tcsetattr(STDIN_FILENO, TCSAFLUSH, old); }
#endif

static const char USAGE[] = "login [-u USER] [-p PASSWORD | --password-stdin] REGISTRY";

/* Reads one line from stdin (without echo when it is a terminal). */
static int read_line(char *buf, size_t len, const char *prompt, int hide)
{
    echo_state old;
    int tty = stdin_is_terminal();
    if (tty) {
        fprintf(stderr, "%s", prompt);
        fflush(stderr);
    }
    hide = tty && hide && echo_off(&old);
    char *r = fgets(buf, (int)len, stdin);
    if (hide) {
        echo_restore(&old);
        fputc('\n', stderr);
    }
    if (!r)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

int cmd_login(const cli_globals *g, int argc, char **argv)
{
    const char *user = NULL, *pass = NULL, *registry = NULL;
    int from_stdin = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        if ((strcmp(a, "-u") == 0 || strcmp(a, "--username") == 0) && i + 1 < argc)
            user = argv[++i];
        else if ((strcmp(a, "-p") == 0 || strcmp(a, "--password") == 0) && i + 1 < argc)
            pass = argv[++i];
        else if (strcmp(a, "--password-stdin") == 0)
            from_stdin = 1;
        else if (a[0] == '-')
            return cli_usage("login", USAGE);
        else if (!registry)
            registry = a;
        else
            return cli_usage("login", USAGE);
    }
    if (!registry)
        return cli_usage("login", USAGE);
    char ubuf[256], pbuf[1024];
    if (!user) {
        if (from_stdin) {
            fprintf(stderr, "berth login: --password-stdin needs -u USER\n");
            return 2;
        }
        if (read_line(ubuf, sizeof ubuf, "Username: ", 0) != 0)
            return cli_usage("login", USAGE);
        user = ubuf;
    }
    if (!pass) {
        if (read_line(pbuf, sizeof pbuf, "Password: ", 1) != 0)
            return cli_usage("login", USAGE);
        pass = pbuf;
    }
    berth_t *b = NULL;
    int st = cli_open(&b, g, "login");
    if (st)
        return st;
    int rc = berth_login(b, registry, user, pass);
    memset(pbuf, 0, sizeof pbuf);
    if (rc) {
        st = cli_fail("login", rc);
    } else if (g->json) {
        printf("{\"registry\": \"%s\", \"username\": \"%s\", \"status\": \"logged in\"}\n", registry, user);
    } else {
        printf("Login succeeded: %s as %s\n", registry, user);
    }
    berth_close(b);
    return st;
}
