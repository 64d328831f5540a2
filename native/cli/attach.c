/* Staying attached to a running container, as `docker run` (without -d), `docker start -a` and
 * `docker attach` do: its output is followed from its log, stdin (-i) is fed through its FIFO,
 * Ctrl+C and SIGTERM go to the container, and the result is the container's exit status. */
#include "cli.h"
#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct attach {
    berth_t *b;
    const char *id;
    char fifo[4200];
};

static int print_line(const char *stream, const char *time, const char *line, size_t len, void *payload)
{
    (void)time; (void)payload;
    FILE *f = strcmp(stream, "stderr") == 0 ? stderr : stdout;
    fwrite(line, 1, len, f);
    fflush(f);
    return 0;
}

static void *pump_stdin(void *arg)
{
    struct attach *a = arg;
    int fd = open(a->fifo, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && write(fd, buf, (size_t)n) < 0)
            break;
    close(fd);
    return NULL;
}

/* Passes SIGINT/SIGTERM/SIGHUP to the container (docker's --sig-proxy). */
static void *proxy_signals(void *arg)
{
    struct attach *a = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        berth_t *b2 = NULL;
        if (berth_open(&b2, berth_root(a->b)) == 0) {
            char name[16];
            snprintf(name, sizeof name, "%d", sig);
            berth_container_kill(b2, a->id, name);
            berth_close(b2);
        }
    }
    return NULL;
}

void cli_attach_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void cli_now(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    timespec_get(&ts, TIME_UTC);
    gmtime_r(&ts.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09ldZ", base, (long)ts.tv_nsec);   /* the log's own format: compared as text */
}

int cli_container_stdio(berth_t *b, const char *name, char id[80], int *tty, int *open_stdin, int *running)
{
    char *j = NULL;
    int rc = berth_container_inspect(&j, b, name);
    json_object *all = rc == 0 ? json_tokener_parse(j) : NULL, *one = NULL, *c = NULL, *v;
    one = all && json_object_is_type(all, json_type_object) ? all : NULL;
    json_object_object_get_ex(one, "config", &c);
    snprintf(id, 80, "%s", json_object_object_get_ex(one, "id", &v) ? json_object_get_string(v) : name);
    *running = one && json_object_object_get_ex(one, "running", &v) && json_object_get_boolean(v);
    *tty = c && json_object_object_get_ex(c, "tty", &v) && json_object_get_boolean(v);
    *open_stdin = c && json_object_object_get_ex(c, "open_stdin", &v) && json_object_get_boolean(v);
    json_object_put(all);
    berth_free(j);
    return rc;
}

int cli_attach(const char *cmd, berth_t *b, const char *id, const char *since, int interactive, int tty)
{
    struct attach at = { .b = b, .id = id };
    snprintf(at.fifo, sizeof at.fifo, "%s/containers/%s/stdin.fifo", berth_root(b), id);
    pthread_t sigt, in_t;
    pthread_create(&sigt, NULL, proxy_signals, &at);
    pthread_detach(sigt);
    struct termios saved;
    int raw = 0;
    if (tty && interactive && isatty(0) && tcgetattr(0, &saved) == 0) {
        struct termios r = saved;
        cfmakeraw(&r);
        raw = tcsetattr(0, TCSANOW, &r) == 0;
    }
    if (interactive) {
        pthread_create(&in_t, NULL, pump_stdin, &at);
        pthread_detach(in_t);
    }
    berth_log_options lo = BERTH_LOG_OPTIONS_INIT;
    lo.follow = 1;
    lo.since = since;
    lo.on_line = print_line;
    berth_container_logs(b, id, &lo);
    int code = 0, rc = berth_container_wait(&code, b, id, -1);
    if (raw)
        tcsetattr(0, TCSANOW, &saved);
    if (rc) {
        cli_fail(cmd, rc);
        return 125;
    }
    return code;
}
