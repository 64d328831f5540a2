/* berth-shim: the monitor of one running container. Started by berth_container_start, it
 * detaches (fork, setsid, fork), becomes the child subreaper, mounts the root file system,
 * sets up the network, runs `runc run --detach` (create + start in one runc), reports "ok <pid>" or
 * "err <code> <message>" on the sync pipe, copies the container's stdout/stderr into
 * log.json (docker's json-file lines), reaps the init process, records the exit code and time,
 * cleans up (runc delete, network, unmount; the whole container for --rm) and exits. With a
 * restart policy it runs the container again after each exit the policy covers (runc delete,
 * back-off, runc run on the same bundle, mount and network) until the policy or the user
 * (stop, kill, rm -f: a mark in the store) ends it.
 *   berth-shim --root DIR --id ID --sync-fd N
 * It holds <bundle>/shim.lock until the exit is recorded (a free lock means no running
 * container), and <bundle>/cleanup.lock until the runtime is cleaned up. */
#include "container/container.h"
#include "container/lock.h"
#include "container/restart.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "runtime/oci/oci.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONSOLE_DIR "/run/berth/console"
#define LINE_MAX_BYTES (16 * 1024)   /* docker splits longer lines into several entries */

typedef struct {
    int fd;                 /* read end; -1 when closed */
    const char *stream;     /* "stdout" / "stderr" */
    char buf[LINE_MAX_BYTES];
    size_t len;
} out_stream;

typedef struct {
    berth_t *b;
    const char *id;
    char bundle[4096];
    int logfd;
    int sync;
    const char *console;    /* the console socket path (-t) */
    int alive_lock;         /* shim.lock: held while the container may run (across restarts) */
    int fifo;               /* stdin.fifo read end (-i); -1 when none or its writer left */
    int stdin_open;         /* the container keeps stdin open (-i) */
    int sigfd;              /* signalfd for SIGCHLD */
    int cleanup_lock;       /* cleanup.lock: held until the runtime is cleaned up */
} shim;

static void slog(const char *fmt, ...)
{
    char ts[64];
    container_now(ts, sizeof ts);
    fprintf(stderr, "%s ", ts);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

static void report(shim *s, const char *fmt, ...)
{
    if (s->sync < 0)
        return;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof msg - 2)
        n = (int)sizeof msg - 2;
    msg[n++] = '\n';
    if (write(s->sync, msg, (size_t)n) < 0)
        slog("sync pipe: %s", strerror(errno));
    close(s->sync);
    s->sync = -1;
}

static void log_entry(shim *s, const char *stream, const char *data, size_t len)
{
    char ts[64];
    container_now(ts, sizeof ts);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "log", json_object_new_string_len(data, (int)len));
    json_object_object_add(o, "stream", json_object_new_string(stream));
    json_object_object_add(o, "time", json_object_new_string(ts));
    const char *line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (line) {
        /* one write per entry: O_APPEND keeps entries whole for readers */
        size_t l = strlen(line);
        char *with_nl = malloc(l + 1);
        if (with_nl) {
            memcpy(with_nl, line, l);
            with_nl[l] = '\n';
            if (write(s->logfd, with_nl, l + 1) < 0)
                slog("log write: %s", strerror(errno));
            free(with_nl);
        }
    }
    json_object_put(o);
}

/* Splits what arrived into lines (each entry keeps its "\n", like docker). */
static void pump(shim *s, out_stream *o, int eof)
{
    size_t start = 0;
    for (size_t i = 0; i < o->len; i++)
        if (o->buf[i] == '\n') {
            log_entry(s, o->stream, o->buf + start, i + 1 - start);
            start = i + 1;
        }
    memmove(o->buf, o->buf + start, o->len - start);
    o->len -= start;
    if (o->len == sizeof o->buf || (eof && o->len)) {
        log_entry(s, o->stream, o->buf, o->len);
        o->len = 0;
    }
}

static int read_stream(shim *s, out_stream *o)
{
    ssize_t r = read(o->fd, o->buf + o->len, sizeof o->buf - o->len);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (r <= 0) {
        pump(s, o, 1);
        close(o->fd);
        o->fd = -1;
        return 0;
    }
    o->len += (size_t)r;
    pump(s, o, 0);
    return 0;
}

static char *bpath(shim *s, const char *name)
{
    static char p[4200];   /* the shim is single-threaded */
    snprintf(p, sizeof p, "%s/%s", s->bundle, name);
    return p;
}

static int runc(shim *s, const char *const *args, int in, int out, int err, char **err_out)
{
    char **argv = oci_runc_argv(s->b, args);
    if (!argv)
        return -1;
    int status = -1;
    if (oci_run(&status, argv, in, out, err, err_out) != 0)
        status = -1;
    oci_argv_free(argv);
    return status;
}

/* The last "error" message runc wrote to its JSON log (its stderr went to the container). */
static char *runc_log_error(shim *s)
{
    char *text = NULL, *msg = NULL;
    if (fs_read_file(&text, NULL, bpath(s, "runc.log"), 1 << 20) != 0)
        return NULL;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_object *o = json_tokener_parse(line);
        const char *lv = json_str(o, "level"), *m = json_str(o, "msg");
        if (lv && m && strcmp(lv, "error") == 0) {
            free(msg);
            msg = strdup(m);
        }
        json_object_put(o);
    }
    free(text);
    berth_error_clear();
    return msg;
}

/* What a monitor that died may have left: runc state, network, mount. Cheap when there is
 * none (no runc or CNI process is started for nothing). */
static void cleanup_leftovers(shim *s)
{
    char state[4200];
    snprintf(state, sizeof state, "%s/runc/%s", berth_root(s->b), s->id);
    if (fs_exists(state)) {
        const char *del[] = { "delete", "--force", s->id, NULL };
        runc(s, del, -1, -1, -1, NULL);
    }
    if (oci_network_down(s->b, s->id) != 0)
        slog("network down: %s", berth_errmsg());
    if (oci_rootfs_unmount(s->b, s->id) != 0)
        slog("unmount: %s", berth_errmsg());
}

static void cleanup_runtime(shim *s)
{
    const char *del[] = { "delete", "--force", s->id, NULL };
    runc(s, del, -1, -1, -1, NULL);
    if (oci_network_down(s->b, s->id) != 0)
        slog("network down: %s", berth_errmsg());
    if (oci_rootfs_unmount(s->b, s->id) != 0)
        slog("unmount: %s", berth_errmsg());
}

/* The console socket runc sends the pty master through (runc create --console-socket). */
static int console_listen(shim *s)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    const char *p = s->console;
    unlink(p);
    if (strlen(p) >= sizeof a.sun_path) {
        close(fd);
        return -1;
    }
    strcpy(a.sun_path, p);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int console_receive(int lfd)
{
    int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return -1;
    char data[256];
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { data, sizeof data };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    int fd = -1;
    if (recvmsg(c, &m, 0) > 0) {
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        if (h && h->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(h), sizeof fd);
    }
    close(c);
    return fd;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* One run of the container: runc run, copy its output into log.json, reap its init.
 * 0 with *exit_code when it ran (and exited); otherwise it did not start: *exit_code is
 * docker's code for that (125/126/127) and *why the reason (the caller frees it). */
static int run_once(shim *s, int tty, int restart, int *exit_code, char **why)
{
    char *err = NULL;
    *why = NULL;
    out_stream outs[2] = { { -1, "stdout", { 0 }, 0 }, { -1, "stderr", { 0 }, 0 } };
    int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, pi[2] = { -1, -1 }, console = -1, master = -1;
    char pidfile[4200], consock[4200], runclog[4200];
    snprintf(pidfile, sizeof pidfile, "%s/init.pid", s->bundle);
    unlink(pidfile);
    unlink(bpath(s, "runc.log"));
    /* a unix socket path must fit sun_path (108 bytes): not in the (long) bundle path */
    fs_mkdir_p(CONSOLE_DIR, 0700);
    snprintf(consock, sizeof consock, CONSOLE_DIR "/%.32s.sock", s->id);
    s->console = consock;
    snprintf(runclog, sizeof runclog, "%s/runc.log", s->bundle);
    const char *create_tty[] = { "--log", runclog, "--log-format", "json", "run", "--detach", "--bundle",
                                 s->bundle, "--pid-file", pidfile, "--console-socket", consock, s->id, NULL };
    int status;
    if (tty) {
        console = console_listen(s);
        status = runc(s, create_tty, -1, -1, -1, &err);
    } else {
        if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) || ((s->fifo >= 0 || s->stdin_open) && pipe2(pi, O_CLOEXEC))) {
            *exit_code = 125;
            *why = strdup("pipe failed");
            goto fail;
        }
        const char *create[] = { create_tty[0], create_tty[1], create_tty[2], create_tty[3], "run", "--detach", "--bundle",
                                 s->bundle, "--pid-file", pidfile, s->id, NULL };
        status = runc(s, create, pi[0], po[1], pe[1], NULL);
        close_fd(&po[1]);
        close_fd(&pe[1]);
        close_fd(&pi[0]);
        if (s->fifo < 0)   /* the attached writer of an earlier run is gone: stdin is at its end */
            close_fd(&pi[1]);
        /* the read ends now belong to outs */
        outs[0].fd = po[0];
        outs[1].fd = pe[0];
        po[0] = pe[0] = -1;
    }
    if (status != 0) {
        char *rl = runc_log_error(s);
        const char *m = rl ? rl : err && *err ? err : "runc create failed";
        *exit_code = oci_exec_failure_code(m);
        *why = strdup(m);
        free(rl);
        free(err);
        goto fail;
    }
    free(err);
    err = NULL;
    if (tty) {
        master = console_receive(console);
        close_fd(&console);
        unlink(consock);
    }
    char *pidtext = NULL;
    long pid = 0;
    if (fs_read_file(&pidtext, NULL, pidfile, 64) == 0)
        pid = strtol(pidtext, NULL, 10);
    free(pidtext);
    if (pid <= 0) {
        *exit_code = 125;
        *why = strdup("runc run: no pid in init.pid");
        goto fail;
    }
    container_db_set_running(s->b, s->id, pid, getpid());
    if (!restart)
        report(s, "ok %ld", pid);
    slog("container %s running as pid %ld%s", s->id, pid, restart ? " (restarted)" : "");
    /* A stop by the user that came while this run was being started found no process to
     * signal: it is recorded, so end this run now rather than let it run on. */
    if (restart && container_db_manual_stop(s->b, s->id)) {
        const char *kill9[] = { "kill", s->id, "9", NULL };
        runc(s, kill9, -1, -1, -1, NULL);
    }

    if (tty)
        outs[0].fd = master >= 0 ? dup(master) : -1;
    int exited = 0;
    *exit_code = 255;
    while (!exited || outs[0].fd >= 0 || outs[1].fd >= 0) {
        struct pollfd p[5];
        int n = 0, io = -1, ie = -1, isig = -1, ifi = -1;
        if (outs[0].fd >= 0) { io = n; p[n++] = (struct pollfd){ outs[0].fd, POLLIN, 0 }; }
        if (outs[1].fd >= 0) { ie = n; p[n++] = (struct pollfd){ outs[1].fd, POLLIN, 0 }; }
        if (!exited) { isig = n; p[n++] = (struct pollfd){ s->sigfd, POLLIN, 0 }; }
        if (s->fifo >= 0 && !exited) { ifi = n; p[n++] = (struct pollfd){ s->fifo, POLLIN, 0 }; }
        /* after the init exits, give lingering writers a moment, then stop waiting for EOF
         * (a tty master never reports one once the slave side is gone) */
        int r = poll(p, (nfds_t)n, exited ? 500 : -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && exited)
            break;
        if (io >= 0 && p[io].revents)
            read_stream(s, &outs[0]);
        if (ie >= 0 && p[ie].revents)
            read_stream(s, &outs[1]);
        if (ifi >= 0 && p[ifi].revents) {
            char buf[4096];
            ssize_t got = (p[ifi].revents & POLLIN) ? read(s->fifo, buf, sizeof buf) : 0;
            int to = tty ? master : pi[1];
            if (got > 0 && to >= 0) {
                if (write(to, buf, (size_t)got) < 0)
                    slog("stdin: %s", strerror(errno));
            } else if (got == 0 || (got < 0 && errno != EAGAIN)) {
                close(s->fifo);   /* the attached writer went away: stdin ends, as docker's --interactive without a tty */
                s->fifo = -1;
                if (!tty && pi[1] >= 0) {
                    close(pi[1]);
                    pi[1] = -1;
                }
            }
        }
        if (isig >= 0 && p[isig].revents) {
            struct signalfd_siginfo si;
            if (read(s->sigfd, &si, sizeof si) < 0)
                (void)0;
            int st;
            pid_t w;
            while ((w = waitpid(-1, &st, WNOHANG)) > 0)
                if (w == pid) {
                    exited = 1;
                    *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                }
        }
    }
    for (int i = 0; i < 2; i++)
        if (outs[i].fd >= 0) {
            pump(s, &outs[i], 1);
            close(outs[i].fd);
        }
    if (pi[1] >= 0)
        close(pi[1]);
    if (master >= 0)
        close(master);
    slog("container %s exited with %d", s->id, *exit_code);
    return 0;
fail:   /* it did not start: close what was opened for it */
    for (int i = 0; i < 2; i++) {
        close_fd(&outs[i].fd);
        close_fd(&po[i]);
        close_fd(&pe[i]);
        close_fd(&pi[i]);
    }
    close_fd(&console);
    close_fd(&master);
    return -1;
}

/* Sleeps ms before a restart; 1 when the user stopped the container meanwhile. The stop is a
 * mark in the store (written by stop, kill or rm -f), so it is read every 50 ms: a stop during
 * a minute-long back-off returns at once, with no signal or socket between CLI and monitor. */
static int backoff(shim *s, int64_t ms)
{
    int64_t until = container_clock_ms() + ms;
    for (;;) {
        if (container_db_manual_stop(s->b, s->id))
            return 1;
        int64_t left = until - container_clock_ms();
        if (left <= 0)
            return 0;
        container_sleep_ms(left < 50 ? (int)left : 50);
    }
}

/* The policy as the row has it now (`berth update --restart`); keep when it cannot be read. */
static restart_policy current_policy(shim *s, restart_policy keep)
{
    container_rec r = { 0 };
    if (container_db_get(&r, s->b, s->id) == 0)
        keep = restart_policy_of_stored(r.spec, keep);
    berth_error_clear();
    container_rec_free(&r);
    return keep;
}

/* Closes what every run shares: the stdin FIFO, the SIGCHLD descriptor, the log. */
static void close_io(shim *s)
{
    if (s->fifo >= 0)
        close(s->fifo);
    if (s->sigfd >= 0)
        close(s->sigfd);
    if (s->logfd >= 0)
        close(s->logfd);
    s->fifo = s->sigfd = s->logfd = -1;
}

static int run(shim *s)
{
    int tty = 0, open_stdin = 0, rc;
    container_rec rec = { 0 };
    if ((rc = container_db_get(&rec, s->b, s->id)) != 0) {
        report(s, "err 125 %s", berth_errmsg());
        return 1;
    }
    restart_policy policy = restart_policy_of_stored(rec.spec, restart_policy_of_spec(NULL));
    oci_runtime_flags(s->b, s->id, &tty, &open_stdin);

    /* leftovers of a monitor that died are cleaned before we begin */
    cleanup_leftovers(s);
    if (oci_rootfs_mount(s->b, s->id) != 0 || oci_network_up(s->b, s->id) != 0) {
        report(s, "err 125 %s", berth_errmsg());
        cleanup_runtime(s);
        container_rec_free(&rec);
        return 1;
    }
    s->logfd = open(bpath(s, "log.json"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    s->fifo = -1;
    s->stdin_open = open_stdin;
    if (open_stdin) {
        /* the CLI attaches by writing into this FIFO; its close is the container's EOF */
        unlink(bpath(s, "stdin.fifo"));
        if (mkfifo(bpath(s, "stdin.fifo"), 0600) == 0)
            s->fifo = open(bpath(s, "stdin.fifo"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    s->sigfd = signalfd(-1, &mask, SFD_CLOEXEC);

    /* The restart policy: the same bundle, root file system and network for every run; only
     * runc's state of the ended run is deleted before the next `runc run`. */
    int exit_code = 255, restarts = 0;
    int64_t delay = 0;
    char *failed = NULL;
    for (;;) {
        int64_t began = container_clock_ms();
        if (run_once(s, tty, restarts > 0, &exit_code, &failed) != 0) {
            if (restarts == 0) {
                /* the first run is the user's start: it fails with the reason, as before */
                report(s, "err %d %s", exit_code, failed ? failed : "runc run failed");
                slog("runc run: %s", failed ? failed : "failed");
                free(failed);
                close_io(s);
                cleanup_runtime(s);
                unlink(bpath(s, "stdin.fifo"));
                container_rec_free(&rec);
                return 1;
            }
            /* a restart that cannot start ends the policy (docker gives up too) */
            slog("restart %d failed: %s", restarts, failed ? failed : "runc run failed");
            break;
        }
        int manual = container_db_manual_stop(s->b, s->id);
        policy = current_policy(s, policy);   /* `berth update --restart` applies from the next exit */
        if (!restart_after_exit(&policy, exit_code, manual, restarts))
            break;   /* the exit is recorded first; cleanup_runtime deletes runc's state after */
        const char *del[] = { "delete", "--force", s->id, NULL };
        runc(s, del, -1, -1, -1, NULL);
        delay = restart_backoff_ms(delay, container_clock_ms() - began);
        restarts++;
        container_db_set_restarting(s->b, s->id, exit_code, restarts);
        slog("restart policy: restart %d in %lld ms", restarts, (long long)delay);
        if (backoff(s, delay)) {
            slog("stopped by the user while backing off");
            break;
        }
    }
    close_io(s);
    if (!rec.auto_remove) {
        /* Record the exit and let waiters go now; the runtime cleanup below (runc delete,
         * network, unmount) holds cleanup.lock, which the next monitor of this container and
         * a removal wait for. An --rm container stays "alive" until it is gone, as
         * docker run --rm does. */
        container_db_set_exited(s->b, s->id, NULL, exit_code, failed);
        close(s->alive_lock);
        s->alive_lock = -1;
    }
    free(failed);
    cleanup_runtime(s);
    unlink(bpath(s, "stdin.fifo"));
    if (rec.auto_remove) {
        container_db_set_exited(s->b, s->id, NULL, exit_code, NULL);
        /* cleaned up: the removal below waits for cleanup.lock, so release it first */
        close(s->cleanup_lock);
        s->cleanup_lock = -1;
        container_rec now = { 0 };
        if (container_db_get(&now, s->b, s->id) == 0 && container_remove_all(s->b, &now, exit_code) != 0)
            slog("auto-remove: %s", berth_errmsg());
        container_rec_free(&now);
    }
    container_rec_free(&rec);
    return 0;
}

int main(int argc, char **argv)
{
    const char *root = NULL, *id = NULL;
    int sync = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--root") == 0)
            root = argv[i + 1];
        else if (strcmp(argv[i], "--id") == 0)
            id = argv[i + 1];
        else if (strcmp(argv[i], "--sync-fd") == 0)
            sync = atoi(argv[i + 1]);
    }
    if (!root || !id || strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64) {
        fprintf(stderr, "usage: berth-shim --root DIR --id ID64 --sync-fd N (started by berth, not by hand)\n");
        return 2;
    }
    /* detach: the caller (a CLI, pwsh) may exit at any time; we must not be its child, nor in
     * its session, nor get its terminal's signals */
    pid_t p = fork();
    if (p < 0)
        return 1;
    if (p > 0)
        _exit(0);
    setsid();
    p = fork();
    if (p < 0)
        _exit(1);
    if (p > 0)
        _exit(0);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    /* runc must not inherit the sync pipe: the starter reads it to its end, which would then
     * come only when `runc run --detach` exits rather than when we report */
    if (sync >= 0)
        fcntl(sync, F_SETFD, FD_CLOEXEC);
    shim s = { .id = id, .sync = sync, .logfd = -1, .fifo = -1, .sigfd = -1 };
    snprintf(s.bundle, sizeof s.bundle, "%s/containers/%s", root, id);
    int logfd = open(bpath(&s, "shim.log"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (logfd >= 0) {
        dup2(logfd, 2);
        close(logfd);
    }
    int lock = open(bpath(&s, "shim.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
        report(&s, "err 125 another monitor already runs this container (%s)", lock < 0 ? strerror(errno) : "shim.lock is held");
        return 1;
    }
    s.alive_lock = lock;
    /* a previous monitor may still be cleaning up after its container: wait for it */
    int cleanup = open(bpath(&s, "cleanup.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (cleanup < 0 || flock(cleanup, LOCK_EX) != 0) {
        report(&s, "err 125 monitor: cleanup.lock: %s", strerror(errno));
        return 1;
    }
    s.cleanup_lock = cleanup;
    if (berth_open(&s.b, root) != 0) {
        report(&s, "err 125 monitor: open store %s: %s", root, berth_errmsg());
        return 1;
    }
    int rc = run(&s);
    berth_close(s.b);
    return rc;
}
