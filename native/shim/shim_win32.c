/* berth-shim.exe — the monitor of one Windows container. Berth has no daemon, and a compute
 * system created with ShouldTerminateOnLastHandleClosed dies with its last handle, so this
 * small process holds that handle for the container's life. It
 *   1. creates and starts the compute system from <bundle>\hcs (first the utility VM under
 *      Hyper-V isolation), then the init process, whose std pipes it owns;
 *   2. answers "ok" (or "error: <message>") on the pipe `berth start` handed it, and closes it;
 *   3. writes every chunk of stdout/stderr as a JSON line to <bundle>\log.json;
 *   4. waits for the process to exit, records {"exit_code","finished_at"} in <bundle>\exit.json
 *      (atomically), shuts the compute system down and exits.
 * Usage: berth-shim.exe --bundle DIR --id ID --ready HANDLE */
#include "runtime/hcs/api_win32.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/utf16.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MAX (1u << 20)

typedef struct {
    const hcs_api *api;
    HANDLE pipe;          /* the process's stdout or stderr */
    const char *stream;   /* "stdout", "stderr" */
    HANDLE log;           /* shared, opened for append: each WriteFile is one whole line */
} relay_args;

static void now_rfc3339(char *buf, size_t len)
{
    FILETIME ft;
    SYSTEMTIME st;
    GetSystemTimePreciseAsFileTime(&ft);
    FileTimeToSystemTime(&ft, &st);
    ULARGE_INTEGER u;
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    snprintf(buf, len, "%04u-%02u-%02uT%02u:%02u:%02u.%07lluZ", st.wYear, st.wMonth, st.wDay, st.wHour,
             st.wMinute, st.wSecond, (unsigned long long)(u.QuadPart % 10000000ull));
}

static DWORD WINAPI relay(void *p)
{
    relay_args *a = p;
    char buf[16384], when[40];
    DWORD n;
    while (ReadFile(a->pipe, buf, sizeof buf, &n, NULL) && n > 0) {
        char *line = NULL;
        now_rfc3339(when, sizeof when);
        if (hcs_log_line(&line, a->stream, when, buf, n) == 0) {
            DWORD w;
            WriteFile(a->log, line, (DWORD)strlen(line), &w, NULL);
            free(line);
        }
    }
    CloseHandle(a->pipe);
    return 0;
}

static char *read_doc(const char *bundle, const char *name)
{
    char *d = fs_join(bundle, HCS_DOCS_DIR), *p = d ? fs_join(d, name) : NULL, *s = NULL;
    if (p && fs_read_file(&s, NULL, p, DOC_MAX) != 0)
        s = NULL;
    free(d);
    free(p);
    return s;
}

typedef struct {
    const wchar_t *id, *doc;
    HCS_SYSTEM sys;
    HCS_PROCESS proc;
} call_ctx;

static HRESULT call_create(const hcs_api *api, HCS_OPERATION op, void *c)
{
    call_ctx *x = c;
    return api->CreateComputeSystem(x->id, x->doc, op, NULL, &x->sys);
}

static HRESULT call_start(const hcs_api *api, HCS_OPERATION op, void *c)
{
    return api->StartComputeSystem(((call_ctx *)c)->sys, op, NULL);
}

static HRESULT call_shutdown(const hcs_api *api, HCS_OPERATION op, void *c)
{
    return api->ShutDownComputeSystem(((call_ctx *)c)->sys, op, NULL);
}

static HRESULT call_terminate(const hcs_api *api, HCS_OPERATION op, void *c)
{
    return api->TerminateComputeSystem(((call_ctx *)c)->sys, op, NULL);
}

/* Creates and starts one compute system from its document; *sys_out holds it. */
static int create_and_start(const hcs_api *api, const char *id, const char *doc, HCS_SYSTEM *sys_out)
{
    wchar_t *wid = utf8_to_utf16(id, "id"), *wdoc = wid ? utf8_to_utf16(doc, "document") : NULL;
    call_ctx c = { wid, wdoc, NULL, NULL };
    int rc = wdoc ? 0 : berth_errcode();
    if (rc == 0)
        rc = hcs_run_operation(api, call_create, &c, INFINITE, NULL, "HcsCreateComputeSystem", id);
    if (rc == 0 && (rc = hcs_run_operation(api, call_start, &c, INFINITE, NULL, "HcsStartComputeSystem", id)) != 0) {
        hcs_run_operation(api, call_terminate, &c, INFINITE, NULL, "HcsTerminateComputeSystem", id);
        api->CloseComputeSystem(c.sys);
        c.sys = NULL;
    }
    *sys_out = c.sys;
    free(wid);
    free(wdoc);
    return rc;
}

static void stop(const hcs_api *api, HCS_SYSTEM sys, const char *id)
{
    if (!sys)
        return;
    call_ctx c = { NULL, NULL, sys, NULL };
    if (hcs_run_operation(api, call_shutdown, &c, 30000, NULL, "HcsShutDownComputeSystem", id) != 0)
        hcs_run_operation(api, call_terminate, &c, INFINITE, NULL, "HcsTerminateComputeSystem", id);
    api->CloseComputeSystem(sys);
}

static void answer(HANDLE ready, const char *text)
{
    if (!ready)
        return;
    DWORD w;
    WriteFile(ready, text, (DWORD)strlen(text), &w, NULL);
    CloseHandle(ready);
}

static int run(const char *bundle, const char *id, HANDLE *ready)
{
    hcs_api api;
    HCS_SYSTEM uvm = NULL, sys = NULL;
    HCS_PROCESS proc = NULL;
    HANDLE log = INVALID_HANDLE_VALUE, threads[2] = { NULL, NULL };
    relay_args ra[2];
    char *cs = read_doc(bundle, "compute_system.json"), *pp = read_doc(bundle, "process.json");
    char *uvmdoc = read_doc(bundle, "utility_vm.json"), *uvmid = read_doc(bundle, "utility_vm_id");
    char *logpath = fs_join(bundle, HCS_LOG_FILE), *exitpath = fs_join(bundle, HCS_EXIT_FILE);
    wchar_t *wpp = NULL, *wlog = NULL;
    PWSTR result = NULL;
    int rc = 0, code = -1;
    if (!cs || !pp || !logpath || !exitpath) {
        rc = berth_fail(BERTH_ENOTFOUND, "container %s: its documents are missing from %s\\%s; create it again",
                        id, bundle, HCS_DOCS_DIR);
        goto out;
    }
    if ((rc = hcs_api_load(&api, HCS_NEED_CORE | (uvmdoc ? HCS_NEED_HYPERV : 0))) != 0)
        goto out;
    if (uvmdoc && uvmid && (rc = create_and_start(&api, uvmid, uvmdoc, &uvm)) != 0)
        goto out_api;
    if ((rc = create_and_start(&api, id, cs, &sys)) != 0)
        goto out_api;
    if (!(wpp = utf8_to_utf16(pp, "process document")) || !(wlog = utf8_to_long_path(logpath))) {
        rc = berth_errcode();
        goto out_api;
    }
    log = CreateFileW(wlog, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                      OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (log == INVALID_HANDLE_VALUE) {
        rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "open the log", logpath);
        goto out_api;
    }
    HCS_OPERATION op = api.CreateOperation(NULL, NULL);
    HCS_PROCESS_INFORMATION info;
    memset(&info, 0, sizeof info);
    HRESULT hr = op ? api.CreateProcessInSystem(sys, wpp, op, NULL, &proc) : E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
        hr = api.WaitForOperationResultAndProcessInfo(op, INFINITE, &info, &result);
    if (op)
        api.CloseOperation(op);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, result, "HcsCreateProcess in", id);
        result = NULL;
        goto out_api;
    }
    if (result) {
        LocalFree(result);
        result = NULL;
    }
    if (info.StdInput)
        CloseHandle(info.StdInput);   /* nobody attaches yet: the process sees end of input */
    const char *names[2] = { "stdout", "stderr" };
    HANDLE outs[2] = { info.StdOutput, info.StdError };
    for (int i = 0; i < 2; i++) {
        if (!outs[i])
            continue;
        ra[i].api = &api;
        ra[i].pipe = outs[i];
        ra[i].stream = names[i];
        ra[i].log = log;
        threads[i] = CreateThread(NULL, 0, relay, &ra[i], 0, NULL);
        if (!threads[i])
            CloseHandle(outs[i]);
    }
    answer(*ready, "ok\n");
    *ready = NULL;

    hr = api.WaitForProcessExit(proc, INFINITE, &result);
    char *status = result ? utf16_to_utf8(result, "exit status") : NULL;
    if (FAILED(hr) || !status || hcs_exit_code(&code, status) != 0)
        code = -1;   /* unknown: the system went away under the process */
    free(status);
    if (result)
        LocalFree(result);
    for (int i = 0; i < 2; i++)
        if (threads[i]) {
            WaitForSingleObject(threads[i], 5000);   /* the pipes close when the process has gone */
            CloseHandle(threads[i]);
        }
    char when[40], rec[128];
    now_rfc3339(when, sizeof when);
    snprintf(rec, sizeof rec, "{\"exit_code\":%d,\"finished_at\":\"%s\"}\n", code, when);
    rc = fs_write_atomic(exitpath, rec, strlen(rec), 0644);
out_api:
    if (proc)
        api.CloseProcess(proc);
    stop(&api, sys, id);
    if (uvm)
        stop(&api, uvm, uvmid);
    hcs_api_unload(&api);
out:
    if (log != INVALID_HANDLE_VALUE)
        CloseHandle(log);
    free(cs);
    free(pp);
    free(uvmdoc);
    free(uvmid);
    free(logpath);
    free(exitpath);
    free(wpp);
    free(wlog);
    return rc;
}

int wmain(int argc, wchar_t **argv)
{
    char *bundle = NULL, *id = NULL;
    HANDLE ready = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!wcscmp(argv[i], L"--bundle"))
            bundle = utf16_to_utf8(argv[i + 1], "--bundle");
        else if (!wcscmp(argv[i], L"--id"))
            id = utf16_to_utf8(argv[i + 1], "--id");
        else if (!wcscmp(argv[i], L"--ready"))
            ready = (HANDLE)(uintptr_t)_wcstoui64(argv[i + 1], NULL, 10);
    }
    if (!bundle || !id) {
        fprintf(stderr, "usage: berth-shim.exe --bundle DIR --id ID [--ready HANDLE]\n"
                        "(started by `berth start`; not meant to be run by hand)\n");
        free(bundle);
        free(id);
        return 2;
    }
    int rc = run(bundle, id, &ready);
    if (ready) {   /* failed before the process ran: say why to `berth start` */
        char msg[2100];
        snprintf(msg, sizeof msg, "error: %s\n", berth_errmsg());
        answer(ready, msg);
    }
    free(bundle);
    free(id);
    return rc == 0 ? 0 : 1;
}
