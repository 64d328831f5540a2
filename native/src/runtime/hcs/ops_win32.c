/* The Windows lifecycle behind runtime_hcs: create (layers, scratch, network, documents into
 * the bundle), start (berth-shim.exe creates and holds the compute system), signal (graceful
 * shutdown, or terminate), remove (undo all of create, also when half done), alive (asked of
 * HCS itself: HcsEnumerateComputeSystems, so a store that lost track is reconciled). */
#include "runtime/hcs/api_win32.h"
#include "runtime/hcs/hostfacts.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/utf16.h"
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHUTDOWN_WAIT_MS 5000   /* how long signal waits to see a graceful shutdown finish */

static char *bundle_of(berth_t *b, const char *id)
{
    char *c = fs_join(berth_root(b), "containers");
    char *p = c ? fs_join(c, id) : NULL;
    free(c);
    return p;
}

static int write_doc(const char *dir, const char *name, const char *text)
{
    if (!text)
        return 0;
    char *path = fs_join(dir, name);
    int rc = path ? fs_write_atomic(path, text, strlen(text), 0600) : BERTH_ENOMEM;
    free(path);
    return rc;
}

static int resolve_isolation(berth_isolation *iso)
{
    return *iso == ISOLATION_DEFAULT ? platform_host_isolation(iso) : 0;
}

/* Undo whatever create made; every step tolerates "was never made". */
static void undo_create(const hcs_api *api, const runtime_spec *spec)
{
    char keep[2048];
    int code = berth_errcode();
    snprintf(keep, sizeof keep, "%s", berth_errmsg());
    if (api->net)
        hcs_net_remove(api, spec->id);
    hcs_scratch_remove(api, spec->bundle_dir);
    static const char *const dirs[] = { HCS_DOCS_DIR, HCS_SCRATCH_DIR, HCS_UVM_SCRATCH_DIR };
    for (int i = 0; i < 3; i++) {
        char *d = fs_join(spec->bundle_dir, dirs[i]);
        if (d)
            fs_remove_tree(d);
        free(d);
    }
    berth_fail(code ? code : BERTH_ERROR, "%s", keep);   /* the first failure is the one to report */
}

int hcs_op_create(berth_t *b, const runtime_spec *spec_in)
{
    /* spec: HCS's view — the same container over the imported layer folders */
    runtime_spec spec;
    runtime_layer *imported = NULL;
    hcs_api api;
    hcs_docs docs;
    char (*ids)[HCS_GUID_LEN + 1] = NULL;
    const char **idp = NULL;
    char *volume = NULL, *docdir = NULL;
    char netid[HCS_GUID_LEN + 1] = "";
    int made = 0;
    memset(&docs, 0, sizeof docs);
    memset(&api, 0, sizeof api);
    int rc = hcs_spec_imported(&spec, &imported, spec_in);
    if (rc == 0)
        rc = resolve_isolation(&spec.isolation);
    if (rc) {
        hcs_spec_imported_free(imported, spec_in->n_layers);
        return berth_wrap(rc, "create container %s", spec_in->id);
    }
    const char *net = hcs_network_name(&spec);
    int hyperv = spec.isolation == ISOLATION_HYPERV;
    if ((rc = hcs_api_load(&api, HCS_NEED_CORE | HCS_NEED_STORAGE | (net ? HCS_NEED_NET : 0) |
                                 (hyperv ? HCS_NEED_HYPERV : 0))) != 0) {
        hcs_spec_imported_free(imported, spec_in->n_layers);
        return berth_wrap(rc, "create container %s", spec.id);
    }
    ids = calloc(spec.n_layers ? spec.n_layers : 1, sizeof *ids);
    idp = calloc(spec.n_layers ? spec.n_layers : 1, sizeof *idp);
    if (!ids || !idp) {
        rc = berth_fail_oom();
        goto out;
    }
    for (size_t i = 0; i < spec.n_layers && rc == 0; i++) {
        rc = hcs_layer_id_win32(&api, ids[i], spec.layers[i].path);
        idp[i] = ids[i];
    }
    if (rc || (rc = hcs_layers_import(&api, spec_in, &spec, ids)) != 0 || (rc = fs_mkdir_p(spec.bundle_dir, 0700)) != 0)
        goto out;
    made = 1;
    if (hyperv && (rc = hcs_uvm_scratch_create(&spec)) != 0)
        goto out;
    if ((rc = hcs_scratch_create(&api, &spec, ids, hyperv, &volume)) != 0)
        goto out;
    if (hyperv) {   /* both VHDs are opened by the VM, not by this host */
        char uvmid[HCS_GUID_LEN + 1];
        static const char *const vhds[2][2] = { { HCS_UVM_SCRATCH_DIR, "sandbox.vhdx" }, { HCS_SCRATCH_DIR, "sandbox.vhdx" } };
        if ((rc = hcs_derived_id(uvmid, "uvm", spec.id)) != 0)
            goto out;
        for (int v = 0; v < 2 && rc == 0; v++) {
            char *d = fs_join(spec.bundle_dir, vhds[v][0]), *f = d ? fs_join(d, vhds[v][1]) : NULL;
            rc = f ? hcs_grant_vm_access(&api, uvmid, f) : BERTH_ENOMEM;
            free(d);
            free(f);
        }
        if (rc)
            goto out;
    }
    if (net && (rc = hcs_net_lookup(&api, net, netid)) != 0)
        goto out;
    hcs_docs_options o = { HCS_OWNER, volume, (const char *const *)idp, net ? netid : NULL,
                           (int)GetActiveProcessorCount(ALL_PROCESSOR_GROUPS) };
    if ((rc = hcs_docs_build(&docs, &spec, &o)) != 0)
        goto out;
    if (!(docdir = fs_join(spec.bundle_dir, HCS_DOCS_DIR))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = fs_mkdir_p(docdir, 0700)) != 0 ||
        (rc = write_doc(docdir, "compute_system.json", docs.compute_system)) != 0 ||
        (rc = write_doc(docdir, "process.json", docs.process)) != 0 ||
        (rc = write_doc(docdir, "utility_vm.json", docs.utility_vm)) != 0 ||
        (rc = write_doc(docdir, "isolation", hyperv ? "hyperv" : "process")) != 0)
        goto out;
    if (hyperv) {
        char uvmid[HCS_GUID_LEN + 1];
        if ((rc = hcs_derived_id(uvmid, "uvm", spec.id)) != 0 || (rc = write_doc(docdir, "utility_vm_id", uvmid)) != 0)
            goto out;
    }
    if (net)
        rc = hcs_net_create(&api, spec.id, netid, &docs);
out:
    if (rc && made)
        undo_create(&api, &spec);
    if (rc)
        berth_wrap(rc, "create Windows container %s", spec.id);
    hcs_docs_free(&docs);
    hcs_api_unload(&api);
    hcs_spec_imported_free(imported, spec_in->n_layers);
    free(ids);
    free(idp);
    free(volume);
    free(docdir);
    return rc;
}

/* berth-shim.exe lives beside berth.dll. */
static char *shim_path(void)
{
    HMODULE self = NULL;
    wchar_t path[MAX_PATH * 4];
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)shim_path, &self) ||
        !GetModuleFileNameW(self, path, (DWORD)(sizeof path / sizeof path[0]))) {
        berth_fail(BERTH_ERROR, "find berth-shim.exe: cannot locate berth.dll (error %lu)", GetLastError());
        return NULL;
    }
    wchar_t *slash = wcsrchr(path, L'\\');
    if (slash)
        slash[1] = L'\0';
    char *dir = utf16_to_utf8(path, "module path");
    char *p = dir ? fs_join(dir, "berth-shim.exe") : NULL;
    free(dir);
    return p;
}

int hcs_op_start(berth_t *b, const runtime_spec *spec)
{
    (void)b;
    char *shim = shim_path(), *line = NULL;
    wchar_t *wline = NULL;
    HANDLE rd = NULL, wr = NULL;
    int rc = shim ? 0 : berth_errcode();
    if (rc)
        goto out;
    if (!fs_exists(shim)) {
        rc = berth_fail(BERTH_ENOTFOUND, "start %s: %s is missing; reinstall Berth", spec->id, shim);
        goto out;
    }
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    if (!CreatePipe(&rd, &wr, &sa, 0) || !SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0)) {
        rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "start: create the monitor's pipe for", spec->id);
        goto out;
    }
    char handle[32];
    snprintf(handle, sizeof handle, "%llu", (unsigned long long)(uintptr_t)wr);
    const char *argv[] = { shim, "--bundle", spec->bundle_dir, "--id", spec->id, "--ready", handle };
    if ((rc = hcs_command_line(&line, (const char *const *)argv, 7)) != 0 || !(wline = utf8_to_utf16(line, "shim command line"))) {
        rc = rc ? rc : berth_errcode();
        goto out;
    }
    /* inherit the ready pipe and nothing else: a caller's stdout handed on to a long-lived
     * monitor would keep PowerShell's pipeline waiting for an end that never comes */
    STARTUPINFOEXW si;
    PROCESS_INFORMATION pi;
    SIZE_T attr_size = 0;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si;
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size);
    si.lpAttributeList = malloc(attr_size);
    if (!si.lpAttributeList || !InitializeProcThreadAttributeList(si.lpAttributeList, 1, 0, &attr_size)) {
        free(si.lpAttributeList);
        rc = si.lpAttributeList ? hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "start the monitor for",
                                              spec->id) : berth_fail_oom();
        goto out;
    }
    BOOL ok = UpdateProcThreadAttribute(si.lpAttributeList, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, &wr, sizeof wr,
                                        NULL, NULL) &&
              CreateProcessW(NULL, wline, NULL, NULL, TRUE, DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP |
                             CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                             &si.StartupInfo, &pi);
    DWORD err = GetLastError();
    DeleteProcThreadAttributeList(si.lpAttributeList);
    free(si.lpAttributeList);
    if (!ok) {
        rc = hcs_fail_hr(HRESULT_FROM_WIN32(err), NULL, "start the monitor for", spec->id);
        goto out;
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(wr);
    wr = NULL;
    /* the monitor answers "ok" once the process runs, or "error: …", then closes the pipe */
    char answer[2048];
    DWORD got = 0, n;
    while (got + 1 < sizeof answer && ReadFile(rd, answer + got, (DWORD)(sizeof answer - 1 - got), &n, NULL) && n)
        got += n;
    answer[got] = '\0';
    while (got > 0 && (answer[got - 1] == '\n' || answer[got - 1] == '\r'))
        answer[--got] = '\0';
    if (strcmp(answer, "ok") != 0)
        rc = berth_fail(BERTH_ERROR, "start Windows container %s: %s", spec->id,
                        got ? answer : "the monitor (berth-shim.exe) exited without a word; see the "
                                       "Application event log");
out:
    if (rd)
        CloseHandle(rd);
    if (wr)
        CloseHandle(wr);
    free(shim);
    free(line);
    free(wline);
    return rc;
}

typedef struct {
    HCS_SYSTEM sys;
} sys_ctx;

static HRESULT call_shutdown(const hcs_api *api, HCS_OPERATION op, void *c)
{
    return api->ShutDownComputeSystem(((sys_ctx *)c)->sys, op, NULL);
}

static HRESULT call_terminate(const hcs_api *api, HCS_OPERATION op, void *c)
{
    return api->TerminateComputeSystem(((sys_ctx *)c)->sys, op, NULL);
}

/* Stops one compute system: gracefully unless kill, and terminates when that fails. A system
 * that is not there is already stopped. */
static int stop_system(const hcs_api *api, const char *id, int kill)
{
    wchar_t *wid = utf8_to_utf16(id, "container id");
    if (!wid)
        return berth_errcode();
    sys_ctx c = { NULL };
    HRESULT hr = api->OpenComputeSystem(wid, GENERIC_ALL, &c.sys);
    free(wid);
    if (FAILED(hr))
        return hcs_fail_hr(hr, NULL, "open compute system", id);
    int rc = 1;
    if (!kill) {
        rc = hcs_run_operation(api, call_shutdown, &c, SHUTDOWN_WAIT_MS, NULL, "HcsShutDownComputeSystem", id);
        if (rc != 0)
            berth_error_clear();   /* not shut down in time, or refused: terminate */
    }
    if (rc != 0)
        rc = hcs_run_operation(api, call_terminate, &c, INFINITE, NULL, "HcsTerminateComputeSystem", id);
    if (rc == BERTH_ESTATE) {   /* it had stopped already: that is what was asked */
        berth_error_clear();
        rc = 0;
    }
    api->CloseComputeSystem(c.sys);
    return rc;
}

static int read_small(char *out, size_t len, const char *bundle, const char *name)
{
    char *d = fs_join(bundle, HCS_DOCS_DIR), *p = d ? fs_join(d, name) : NULL, *s = NULL;
    int rc = p ? fs_read_file(&s, NULL, p, len - 1) : BERTH_ENOMEM;
    if (rc == 0)
        snprintf(out, len, "%s", s);
    free(d);
    free(p);
    free(s);
    return rc;
}

int hcs_op_signal(berth_t *b, const char *id, int signo)
{
    hcs_api api;
    int rc = hcs_api_load(&api, HCS_NEED_CORE);
    if (rc)
        return berth_wrap(rc, "signal container %s", id);
    /* Windows has no signals: SIGKILL (9) terminates; anything else asks for a graceful
     * shutdown, and terminates when the system refuses or does not stop in time. */
    int kill = signo == 9;
    rc = stop_system(&api, id, kill);
    if (rc == BERTH_ENOTFOUND)
        rc = berth_fail(BERTH_ESTATE, "container %s is not running", id);
    char *bundle = kill ? bundle_of(b, id) : NULL;
    char uvm[HCS_GUID_LEN + 8];
    if (rc == 0 && bundle && read_small(uvm, sizeof uvm, bundle, "utility_vm_id") == 0) {
        /* the container's utility VM goes with it (after a graceful stop, the monitor stops it) */
        rc = stop_system(&api, uvm, 1);
        if (rc == BERTH_ENOTFOUND)
            rc = 0;
    }
    if (rc == 0)
        berth_error_clear();
    free(bundle);
    hcs_api_unload(&api);
    return rc;
}

int hcs_op_remove(berth_t *b, const char *id)
{
    hcs_api api;
    char *bundle = bundle_of(b, id);
    if (!bundle)
        return BERTH_ENOMEM;
    int rc = hcs_api_load(&api, HCS_NEED_CORE | HCS_NEED_STORAGE | HCS_NEED_NET);
    if (rc) {
        free(bundle);
        return berth_wrap(rc, "remove container %s", id);
    }
    char uvm[HCS_GUID_LEN + 8];
    int has_uvm = read_small(uvm, sizeof uvm, bundle, "utility_vm_id") == 0;
    if ((rc = stop_system(&api, id, 1)) == BERTH_ENOTFOUND)
        rc = 0;
    if (rc == 0 && has_uvm && (rc = stop_system(&api, uvm, 1)) == BERTH_ENOTFOUND)
        rc = 0;
    if (rc == 0)
        rc = hcs_scratch_remove(&api, bundle);
    if (rc == 0)
        rc = hcs_net_remove(&api, id);
    if (rc == 0)
        rc = fs_remove_tree(bundle);
    if (rc == 0)
        berth_error_clear();
    else
        berth_wrap(rc, "remove Windows container %s", id);
    hcs_api_unload(&api);
    free(bundle);
    return rc;
}

static HRESULT call_enumerate(const hcs_api *api, HCS_OPERATION op, void *q)
{
    return api->EnumerateComputeSystems((const wchar_t *)q, op);
}

int hcs_op_alive(berth_t *b, const char *id, int *alive_out)
{
    (void)b;
    *alive_out = 0;
    hcs_api api;
    char *query = NULL, *answer = NULL;
    wchar_t *wq = NULL;
    hcs_system_info *v = NULL;
    size_t n = 0;
    int rc = hcs_api_load(&api, HCS_NEED_CORE);
    if (rc)
        return rc;
    if ((rc = hcs_enum_query(&query, id, HCS_OWNER)) != 0)
        goto out;
    if (!(wq = utf8_to_utf16(query, "query"))) {
        rc = berth_errcode();
        goto out;
    }
    if ((rc = hcs_run_operation(&api, call_enumerate, wq, INFINITE, &answer, "HcsEnumerateComputeSystems for", id)) != 0)
        goto out;
    if (answer && (rc = hcs_enum_parse(&v, &n, answer)) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0 && strcmp(v[i].state, "Running") == 0)
            *alive_out = 1;
out:
    hcs_api_unload(&api);
    free(query);
    free(answer);
    free(wq);
    free(v);
    return rc;
}

/* ---- exec: a process in a running compute system, with the caller's stdio ---------------- */

typedef struct {
    HANDLE from, to;   /* to == NULL: drain and drop */
    int close_to;      /* stdin: closing the pipe is the process's end of input */
} pump_args;

/* The thread owns its arguments (freed here), so a pump still blocked when exec returns never
 * reads a dead stack frame. */
static DWORD WINAPI pump(void *p)
{
    pump_args *a = p;
    char buf[16384];
    DWORD n, w;
    while (ReadFile(a->from, buf, sizeof buf, &n, NULL) && n > 0)
        if (a->to && !WriteFile(a->to, buf, n, &w, NULL))
            break;
    if (a->close_to && a->to)
        CloseHandle(a->to);
    free(a);
    return 0;
}

static HANDLE fd_handle(int fd)
{
    if (fd < 0)
        return NULL;
    intptr_t h = _get_osfhandle(fd);
    return h == -1 || h == -2 ? NULL : (HANDLE)h;
}

int hcs_op_exec(int *exit_code, berth_t *b, const char *id, const runtime_spec *proc_in, int in, int out, int err)
{
    (void)b;
    *exit_code = -1;
    runtime_spec proc = *proc_in;
    proc.open_stdin = in >= 0;
    hcs_api api;
    char *doc = NULL, *status = NULL;
    wchar_t *wdoc = NULL, *wid = NULL;
    HCS_SYSTEM sys = NULL;
    HCS_PROCESS hp = NULL;
    HCS_PROCESS_INFORMATION info;
    PWSTR result = NULL;
    HANDLE threads[3] = { NULL, NULL, NULL };
    memset(&info, 0, sizeof info);
    int rc = hcs_api_load(&api, HCS_NEED_CORE);
    if (rc)
        return berth_wrap(rc, "exec in container %.12s", id);
    if ((rc = hcs_process_doc(&doc, &proc)) != 0)
        goto out;
    if (!(wdoc = utf8_to_utf16(doc, "process document")) || !(wid = utf8_to_utf16(id, "container id"))) {
        rc = berth_errcode();
        goto out;
    }
    HRESULT hr = api.OpenComputeSystem(wid, GENERIC_ALL, &sys);
    if (FAILED(hr)) {
        rc = berth_fail(BERTH_ESTATE, "exec in container %.12s: it is not running", id);
        goto out;
    }
    HCS_OPERATION op = api.CreateOperation(NULL, NULL);
    hr = op ? api.CreateProcessInSystem(sys, wdoc, op, NULL, &hp) : E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
        hr = api.WaitForOperationResultAndProcessInfo(op, INFINITE, &info, &result);
    if (op)
        api.CloseOperation(op);
    if (hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) || hr == HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND) ||
        hr == HRESULT_FROM_WIN32(ERROR_BAD_EXE_FORMAT) || hr == HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)) {
        /* docker's codes: 127 the command is not there, 126 it cannot be run */
        *exit_code = (hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) || hr == HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND))
                         ? 127 : 126;
        if (result)
            LocalFree(result);
        result = NULL;
        goto out;
    }
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, result, "exec in container", id);
        result = NULL;
        goto out;
    }
    if (result) {
        LocalFree(result);
        result = NULL;
    }
    HANDLE src[3] = { fd_handle(in), info.StdOutput, info.StdError };
    HANDLE dst[3] = { info.StdInput, fd_handle(out), fd_handle(err) };
    for (int i = 0; i < 3; i++) {
        if (!src[i] || (i == 0 && !dst[i]))
            continue;
        pump_args *pa = malloc(sizeof *pa);
        if (!pa)
            continue;
        pa->from = src[i];
        pa->to = dst[i];
        pa->close_to = i == 0;
        if (!(threads[i] = CreateThread(NULL, 0, pump, pa, 0, NULL)))
            free(pa);
    }
    if (info.StdInput && !threads[0])
        CloseHandle(info.StdInput);   /* no input (or no thread): the process reads end of file */
    hr = api.WaitForProcessExit(hp, INFINITE, &result);
    status = result ? utf16_to_utf8(result, "exit status") : NULL;
    if (FAILED(hr) || !status || hcs_exit_code(exit_code, status) != 0)
        rc = berth_fail(BERTH_ERROR, "exec in container %.12s: the process's exit status is unknown (the "
                        "container stopped under it?)", id);
    for (int i = 1; i < 3; i++)   /* the output pipes end with the process */
        if (threads[i]) {
            WaitForSingleObject(threads[i], 10000);
            CloseHandle(threads[i]);
        }
    if (threads[0]) {   /* stdin may sit in a read of the caller's console: cancel it */
        CancelSynchronousIo(threads[0]);
        WaitForSingleObject(threads[0], 2000);
        CloseHandle(threads[0]);
    }
    if (info.StdOutput)
        CloseHandle(info.StdOutput);
    if (info.StdError)
        CloseHandle(info.StdError);
out:
    if (result)
        LocalFree(result);
    if (hp)
        api.CloseProcess(hp);
    if (sys)
        api.CloseComputeSystem(sys);
    hcs_api_unload(&api);
    free(doc);
    free(status);
    free(wdoc);
    free(wid);
    return rc;
}
