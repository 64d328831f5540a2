/* Layer storage on a Windows host (computestorage.dll + virtdisk):
 *  - import: the layer unpacker stages a Windows layer as <root>\layers\<chain>\ (the tar's
 *    Files\, Hives\, UtilityVM\ as they are) with the manifest berth-windows-layer.jsonl
 *    (docs/architecture.md, "Layers"). Before the import the manifest's security descriptors,
 *    file attributes and times go onto the staged files; HcsImportLayer then makes the HCS layer
 *    <root>\hcs\layers\<chain> (parents newest first); after it, whiteouts are deleted and hard
 *    links made in the imported layer, as hcsshim's legacy layer writer does (importlayer.go).
 *    "<imported>.imported" marks it done; an import cut short is redone (HcsDestroyLayer first).
 *    A manifest without its end line is a torn staging and is refused.
 *  - scratch (process isolation): a dynamic VHDX in <bundle>\scratch, attached for good
 *    (it outlives this process, which is daemonless), formatted by HcsFormatWritableLayerVhd,
 *    initialised as the writable layer over the image's layers and given the storage filter;
 *    its volume path (\\?\Volume{…}\) is the container's Storage.Path. The path is kept in
 *    <bundle>\scratch\volume so remove can detach it.
 *  - scratch (Hyper-V): the same VHDX, formatted then detached, for the utility VM to mount;
 *    the VM's own scratch is a copy of the base layer's UtilityVM\SystemTemplate.vhdx. */
#include "runtime/hcs/api_win32.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/utf16.h"
#include <virtdisk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_VHD "sandbox.vhdx"
#define SCRATCH_BYTES (20ull << 30)   /* Docker's default size of a Windows container's C: */

static char *join3(const char *a, const char *b, const char *c)
{
    char *ab = fs_join(a, b);
    char *abc = ab && c ? fs_join(ab, c) : NULL;
    if (!c)
        return ab;
    free(ab);
    return abc;
}

/* LayerData for the layers below index `top` (exclusive) of spec, newest first. */
static int parents_data(char **out, const runtime_spec *spec, char (*ids)[HCS_GUID_LEN + 1], size_t top)
{
    const char **pid = calloc(top ? top : 1, sizeof *pid), **ppath = calloc(top ? top : 1, sizeof *ppath);
    int rc = (pid && ppath) ? 0 : berth_fail_oom();
    for (size_t k = 0; rc == 0 && k < top; k++) {
        pid[k] = ids[top - 1 - k];
        ppath[k] = spec->layers[top - 1 - k].path;
    }
    if (rc == 0)
        rc = hcs_layer_data(out, (const char *const *)pid, (const char *const *)ppath, top);
    free(pid);
    free(ppath);
    return rc;
}

/* Backup and restore privileges for this thread only (as go-winio's RunWithPrivileges):
 * writing owners and SACL-free security descriptors and importing layers need them, and a
 * process-wide change would leak into the host process (PowerShell, the DSC engine). */
static int privileges_begin(void)
{
    if (!ImpersonateSelf(SecurityImpersonation))
        return hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "impersonate self for", "layer import");
    HANDLE tok = NULL;
    int rc = 0;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, FALSE, &tok)) {
        rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "open the thread token for", "layer import");
    } else {
        static const wchar_t *const names[] = { L"SeBackupPrivilege", L"SeRestorePrivilege" };
        for (int i = 0; i < 2 && rc == 0; i++) {
            TOKEN_PRIVILEGES tp;
            tp.PrivilegeCount = 1;
            tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
            if (!LookupPrivilegeValueW(NULL, names[i], &tp.Privileges[0].Luid) ||
                !AdjustTokenPrivileges(tok, FALSE, &tp, 0, NULL, NULL) || GetLastError() == ERROR_NOT_ALL_ASSIGNED)
                rc = berth_fail(BERTH_ERROR, "layer import needs %ls: run Berth from an elevated (Administrator) "
                                "PowerShell", names[i]);
        }
        CloseHandle(tok);
    }
    if (rc)
        RevertToSelf();
    return rc;
}

static void privileges_end(void)
{
    RevertToSelf();
}

typedef struct {
    char **path, **link;    /* link NULL: a whiteout; else a hard link path → link */
    size_t n, cap;
} post_ops;

static int post_add(post_ops *p, const char *path, const char *link)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **a = realloc(p->path, cap * sizeof *a), **b = a ? realloc(p->link, cap * sizeof *b) : NULL;
        if (a)
            p->path = a;
        if (!a || !b)
            return berth_fail_oom();
        p->link = b;
        p->cap = cap;
    }
    p->path[p->n] = strdup(path);
    p->link[p->n] = link ? strdup(link) : NULL;
    if (!p->path[p->n] || (link && !p->link[p->n])) {
        free(p->path[p->n]);
        free(p->link[p->n]);
        return berth_fail_oom();
    }
    p->n++;
    return 0;
}

static void post_free(post_ops *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->path[i]);
        free(p->link[i]);
    }
    free(p->path);
    free(p->link);
    memset(p, 0, sizeof *p);
}

/* Security descriptor, times, then attributes (last: a read-only bit would block the rest). */
static int apply_entry(const char *staged, const hcs_manifest_entry *e)
{
    char *path = hcs_layer_join(staged, e->path);
    wchar_t *w = path ? utf8_to_long_path(path) : NULL;
    unsigned char *sd = NULL;
    size_t sdlen = 0;
    int rc = w ? 0 : berth_errcode();
    if (rc)
        goto out;
    if (e->rawsd) {
        if ((rc = hcs_base64_decode(&sd, &sdlen, e->rawsd)) != 0)
            goto out;
        if (!IsValidSecurityDescriptor(sd)) {
            rc = berth_fail(BERTH_EUNSAFE, "%s: the layer's security descriptor is not valid", e->path);
            goto out;
        }
        if (!SetFileSecurityW(w, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                              DACL_SECURITY_INFORMATION, sd)) {
            rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "set the security descriptor of", path);
            goto out;
        }
    }
    if (e->mtime_ns || e->ctime_ns) {
        HANDLE h = CreateFileW(w, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
        if (h == INVALID_HANDLE_VALUE) {
            rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "open for its times", path);
            goto out;
        }
        uint64_t m = hcs_filetime_from_unix_ns(e->mtime_ns), c = hcs_filetime_from_unix_ns(e->ctime_ns);
        FILETIME fm = { (DWORD)m, (DWORD)(m >> 32) }, fc = { (DWORD)c, (DWORD)(c >> 32) };
        BOOL ok = SetFileTime(h, e->ctime_ns ? &fc : NULL, NULL, e->mtime_ns ? &fm : NULL);
        DWORD err = GetLastError();
        CloseHandle(h);
        if (!ok) {
            rc = hcs_fail_hr(HRESULT_FROM_WIN32(err), NULL, "set the times of", path);
            goto out;
        }
    }
    if (e->has_fileattr) {
        /* only the bits a file may be given; directory, reparse and sparse state are the file's own */
        const DWORD settable = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |
                               FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED | FILE_ATTRIBUTE_OFFLINE;
        DWORD a = e->fileattr & settable;
        if (!SetFileAttributesW(w, a ? a : FILE_ATTRIBUTE_NORMAL)) {
            rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "set the attributes of", path);
            goto out;
        }
    }
out:
    free(path);
    free(w);
    free(sd);
    return rc;
}

/* Reads the manifest line by line (bounded), applies what goes on the staged files and keeps
 * what must happen after the import. */
static int manifest_apply(const char *staged, post_ops *post)
{
    char *mpath = fs_join(staged, HCS_LAYER_MANIFEST);
    wchar_t *w = mpath ? utf8_to_long_path(mpath) : NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, lineno = 0;
    int rc = w ? 0 : berth_errcode(), ended = 0;
    HANDLE h = INVALID_HANDLE_VALUE;
    if (rc)
        goto out;
    h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = berth_fail(BERTH_ENOTFOUND, "import layer %s: its manifest %s is missing; the layer was not "
                        "staged as a Windows layer — pull the image again", staged, HCS_LAYER_MANIFEST);
        goto out;
    }
    for (int eof = 0; rc == 0 && !eof;) {
        if (cap - len < 65536) {
            if (cap >= HCS_MANIFEST_LINE_MAX + 65536) {
                rc = berth_fail(BERTH_EINVAL, "%s line %zu: longer than %u bytes", mpath, lineno + 1,
                                HCS_MANIFEST_LINE_MAX);
                break;
            }
            char *nb = realloc(buf, cap ? cap * 2 : 131072);
            if (!nb) {
                rc = berth_fail_oom();
                break;
            }
            buf = nb;
            cap = cap ? cap * 2 : 131072;
        }
        DWORD got = 0;
        if (!ReadFile(h, buf + len, (DWORD)(cap - len), &got, NULL)) {
            rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "read", mpath);
            break;
        }
        eof = got == 0;
        len += got;
        size_t start = 0;
        for (size_t i = 0; rc == 0 && i < len; i++) {
            if (buf[i] != '\n' && !(eof && i + 1 == len))
                continue;
            size_t end = buf[i] == '\n' ? i : i + 1;
            lineno++;
            if (end > start) {
                hcs_manifest_entry e;
                if (ended)
                    rc = berth_fail(BERTH_EINVAL, "%s line %zu: data after the end line", mpath, lineno);
                else if ((rc = hcs_manifest_parse_line(&e, buf + start, end - start, lineno)) == 0) {
                    if (e.is_end)
                        ended = 1;
                    else if (e.type == HCS_ENTRY_FILE || e.type == HCS_ENTRY_DIR)
                        rc = apply_entry(staged, &e);
                    else if (e.type == HCS_ENTRY_WHITEOUT)
                        rc = post_add(post, e.path, NULL);
                    else if (e.type == HCS_ENTRY_HARDLINK)
                        rc = post_add(post, e.path, e.link);
                    else if (e.type == HCS_ENTRY_OPAQUE)
                        rc = berth_fail(BERTH_EUNSUPPORTED, "import layer %s: opaque directory %s is not "
                                        "supported for Windows layers yet", staged, e.path);
                    /* symlinks: staged as they are, their reparse data travels with the file */
                    hcs_manifest_entry_free(&e);
                }
            }
            start = i + 1;
        }
        memmove(buf, buf + start, len - start);
        len -= start;
    }
    if (rc == 0 && !ended)
        rc = berth_fail(BERTH_EINVAL, "import layer %s: %s has no end line — the staging was cut short; "
                        "remove the layer and pull the image again", staged, HCS_LAYER_MANIFEST);
out:
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(mpath);
    free(w);
    free(buf);
    return rc;
}

/* After HcsImportLayer: deletions and hard links, inside the imported layer. */
static int post_apply(const char *imported, const post_ops *post)
{
    int rc = 0;
    for (size_t i = 0; i < post->n && rc == 0; i++) {
        char *p = hcs_layer_join(imported, post->path[i]);
        if (!p)
            return BERTH_ENOMEM;
        if (!post->link[i]) {
            rc = fs_remove_tree(p);   /* a missing path is fine: nothing to hide */
        } else {
            char *t = hcs_layer_join(imported, post->link[i]);
            wchar_t *wp = t ? utf8_to_long_path(p) : NULL, *wt = wp ? utf8_to_long_path(t) : NULL;
            if (!wt)
                rc = berth_errcode() ? berth_errcode() : BERTH_ENOMEM;
            else {
                DeleteFileW(wp);
                if (!CreateHardLinkW(wp, wt, NULL))
                    rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "create the hard link", p);
            }
            free(t);
            free(wp);
            free(wt);
        }
        free(p);
    }
    return rc;
}

/* A layer carrying a utility VM (base layers of servercore/nanoserver) gets its VM image
 * prepared after the import, as hcsshim's importlayer does; without vmcompute's entry point
 * only Hyper-V isolation is affected, and it says so when it looks for the image. */
static int utility_vm_image(const hcs_api *api, const char *layer)
{
    char *uvm = fs_join(layer, "UtilityVM");
    wchar_t *w = uvm ? utf8_to_long_path(uvm) : NULL;
    int rc = w ? 0 : berth_errcode();
    DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    if (rc == 0 && a != INVALID_FILE_ATTRIBUTES && api->ProcessUtilityImage) {
        if (a & FILE_ATTRIBUTE_REPARSE_POINT)
            rc = berth_fail(BERTH_EUNSAFE, "%s is a reparse point, not the layer's own folder", uvm);
        else {
            HRESULT hr = api->ProcessUtilityImage(w);
            if (FAILED(hr))
                rc = hcs_fail_hr(hr, NULL, "prepare the utility VM image of", layer);
        }
    }
    free(uvm);
    free(w);
    return rc;
}

static int import_one(const hcs_api *api, const runtime_spec *staged_spec, const runtime_spec *spec,
                      char (*ids)[HCS_GUID_LEN + 1], size_t i)
{
    const char *staged = staged_spec->layers[i].path, *layer = spec->layers[i].path;
    char *marker = NULL, *data = NULL, *parent = NULL;
    wchar_t *wl = NULL, *ws = NULL, *wd = NULL;
    post_ops post = { 0 };
    int rc = 0, privileged = 0;
    size_t plen = strlen(layer);
    if (!(marker = malloc(plen + 16)) || !(parent = malloc(plen + 1))) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(marker, plen + 16, "%s.imported", layer);
    if (fs_exists(marker))
        goto out;
    memcpy(parent, layer, plen + 1);
    char *slash = strrchr(parent, '\\');
    if (slash)
        *slash = '\0';
    if ((rc = fs_mkdir_p(parent, 0700)) != 0 || (rc = parents_data(&data, spec, ids, i)) != 0)
        goto out;
    if (!(wl = utf8_to_long_path(layer)) || !(ws = utf8_to_long_path(staged)) || !(wd = utf8_to_utf16(data, "layer data"))) {
        rc = berth_errcode() ? berth_errcode() : BERTH_ENOMEM;
        goto out;
    }
    if ((rc = privileges_begin()) != 0)
        goto out;
    privileged = 1;
    if ((rc = manifest_apply(staged, &post)) != 0)
        goto out;
    if (fs_exists(layer))
        api->DestroyLayer(wl);   /* the half of an interrupted import */
    HRESULT hr = api->ImportLayer(wl, ws, wd);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, NULL, "HcsImportLayer", layer);
        goto out;
    }
    if ((rc = post_apply(layer, &post)) != 0 || (rc = utility_vm_image(api, layer)) != 0)
        goto out;
    rc = fs_write_atomic(marker, ids[i], strlen(ids[i]), 0644);   /* last: only a whole import counts */
out:
    if (privileged)
        privileges_end();
    if (rc)
        berth_wrap(rc, "import layer %s", staged_spec->layers[i].chain_id ? staged_spec->layers[i].chain_id : staged);
    post_free(&post);
    free(marker);
    free(parent);
    free(data);
    free(wl);
    free(ws);
    free(wd);
    return rc;
}

int hcs_layers_import(const hcs_api *api, const runtime_spec *staged, const runtime_spec *spec,
                      char (*ids)[HCS_GUID_LEN + 1])
{
    for (size_t i = 0; i < spec->n_layers; i++) {   /* base first: each needs its parents */
        int rc = import_one(api, staged, spec, ids, i);
        if (rc)
            return rc;
    }
    return 0;
}

static VIRTUAL_STORAGE_TYPE vhdx_type(void)
{
    /* VIRTUAL_STORAGE_TYPE_VENDOR_MICROSOFT, spelt out: the SDK only declares it (it needs
     * INITGUID in exactly one unit, which mingw's headers and ours do not agree on) */
    static const GUID vendor_microsoft = { 0xEC984AEC, 0xA0F9, 0x47E9,
                                           { 0x90, 0x1F, 0x71, 0x41, 0x5A, 0x66, 0x34, 0x5B } };
    VIRTUAL_STORAGE_TYPE t;
    t.DeviceId = VIRTUAL_STORAGE_TYPE_DEVICE_VHDX;
    t.VendorId = vendor_microsoft;
    return t;
}

/* Creates and attaches <dir>\sandbox.vhdx; *h_out stays open (the caller detaches or closes). */
static int vhd_create_attached(HANDLE *h_out, const char *vhd)
{
    wchar_t *w = utf8_to_long_path(vhd);
    if (!w)
        return berth_wrap(0, "create %s", vhd);
    VIRTUAL_STORAGE_TYPE t = vhdx_type();
    CREATE_VIRTUAL_DISK_PARAMETERS p;
    memset(&p, 0, sizeof p);
    p.Version = CREATE_VIRTUAL_DISK_VERSION_2;
    p.Version2.MaximumSize = SCRATCH_BYTES;
    p.Version2.BlockSizeInBytes = 1u << 20;
    HANDLE h = INVALID_HANDLE_VALUE;
    DWORD err = CreateVirtualDisk(&t, w, VIRTUAL_DISK_ACCESS_NONE, NULL, CREATE_VIRTUAL_DISK_FLAG_NONE, 0, &p,
                                  NULL, &h);
    free(w);
    if (err != ERROR_SUCCESS)
        return hcs_fail_hr(HRESULT_FROM_WIN32(err), NULL, "create the scratch disk", vhd);
    ATTACH_VIRTUAL_DISK_PARAMETERS ap;
    memset(&ap, 0, sizeof ap);
    ap.Version = ATTACH_VIRTUAL_DISK_VERSION_1;
    err = AttachVirtualDisk(h, NULL, ATTACH_VIRTUAL_DISK_FLAG_NO_DRIVE_LETTER |
                            ATTACH_VIRTUAL_DISK_FLAG_PERMANENT_LIFETIME, 0, &ap, NULL);
    if (err != ERROR_SUCCESS) {
        CloseHandle(h);
        return hcs_fail_hr(HRESULT_FROM_WIN32(err), NULL, "attach the scratch disk", vhd);
    }
    *h_out = h;
    return 0;
}

static void vhd_detach(const char *vhd)
{
    wchar_t *w = utf8_to_long_path(vhd);
    if (!w) {
        berth_error_clear();
        return;
    }
    VIRTUAL_STORAGE_TYPE t = vhdx_type();
    HANDLE h = INVALID_HANDLE_VALUE;
    if (OpenVirtualDisk(&t, w, VIRTUAL_DISK_ACCESS_DETACH, OPEN_VIRTUAL_DISK_FLAG_NONE, NULL, &h) == ERROR_SUCCESS) {
        DetachVirtualDisk(h, DETACH_VIRTUAL_DISK_FLAG_NONE, 0);
        CloseHandle(h);
    }
    free(w);
}

int hcs_scratch_create(const hcs_api *api, const runtime_spec *spec, char (*ids)[HCS_GUID_LEN + 1],
                       int hyperv, char **volume_out)
{
    char *dir = fs_join(spec->bundle_dir, HCS_SCRATCH_DIR);
    char *vhd = dir ? fs_join(dir, SCRATCH_VHD) : NULL;
    char *volfile = dir ? fs_join(dir, "volume") : NULL;
    char *data = NULL, *volume = NULL;
    wchar_t *wv = NULL, *wd = NULL;
    PWSTR mount = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    int rc = (dir && vhd && volfile) ? 0 : BERTH_ENOMEM;
    if (rc || (rc = fs_mkdir_p(dir, 0700)) != 0 || (rc = vhd_create_attached(&h, vhd)) != 0)
        goto out;
    HRESULT hr = api->FormatWritableLayerVhd(h);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, NULL, "HcsFormatWritableLayerVhd", vhd);
        goto out;
    }
    if (hyperv)
        goto out;   /* formatted; the utility VM mounts it (SCSI 0:1) */
    if (FAILED(hr = api->GetLayerVhdMountPath(h, &mount))) {
        rc = hcs_fail_hr(hr, NULL, "HcsGetLayerVhdMountPath", vhd);
        goto out;
    }
    if (!(volume = utf16_to_utf8(mount, "volume path")) ||
        (rc = parents_data(&data, spec, ids, spec->n_layers)) != 0 || !(wd = utf8_to_utf16(data, "layer data"))) {
        rc = rc ? rc : berth_wrap(0, "scratch of %s", spec->id);
        goto out;
    }
    /* remember the volume before using it: remove must find it even if the next steps fail */
    if ((rc = fs_write_atomic(volfile, volume, strlen(volume), 0600)) != 0)
        goto out;
    if (FAILED(hr = api->InitializeWritableLayer(mount, wd, NULL))) {
        rc = hcs_fail_hr(hr, NULL, "HcsInitializeWritableLayer", volume);
        goto out;
    }
    if (FAILED(hr = api->AttachLayerStorageFilter(mount, wd))) {
        rc = hcs_fail_hr(hr, NULL, "HcsAttachLayerStorageFilter", volume);
        goto out;
    }
    *volume_out = volume;
    volume = NULL;
out:
    if (h != INVALID_HANDLE_VALUE) {
        if (rc || hyperv)
            DetachVirtualDisk(h, DETACH_VIRTUAL_DISK_FLAG_NONE, 0);
        CloseHandle(h);
    }
    if (mount)
        LocalFree(mount);
    free(dir);
    free(vhd);
    free(volfile);
    free(data);
    free(volume);
    free(wv);
    free(wd);
    return rc;
}

/* Lets the utility VM open a VHD (hcsshim: wclayer.GrantVmAccess), where vmcompute offers it. */
int hcs_grant_vm_access(const hcs_api *api, const char *uvm_id, const char *vhd)
{
    if (!api->GrantVmAccess)
        return 0;
    wchar_t *wid = utf8_to_utf16(uvm_id, "utility VM id"), *wv = wid ? utf8_to_long_path(vhd) : NULL;
    int rc = wv ? 0 : berth_errcode();
    if (rc == 0) {
        HRESULT hr = api->GrantVmAccess(wid, wv);
        if (FAILED(hr))
            rc = hcs_fail_hr(hr, NULL, "grant the utility VM access to", vhd);
    }
    free(wid);
    free(wv);
    return rc;
}

/* Hyper-V: the utility VM's own scratch, a copy of the base layer's template. */
int hcs_uvm_scratch_create(const runtime_spec *spec)
{
    char *dir = fs_join(spec->bundle_dir, HCS_UVM_SCRATCH_DIR);
    char *dst = dir ? fs_join(dir, SCRATCH_VHD) : NULL;
    char *src = join3(spec->layers[0].path, "UtilityVM", "SystemTemplate.vhdx");
    wchar_t *ws = NULL, *wt = NULL;
    int rc = (dir && dst && src) ? 0 : BERTH_ENOMEM;
    if (rc || (rc = fs_mkdir_p(dir, 0700)) != 0)
        goto out;
    if (!fs_exists(src)) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "Hyper-V isolation of %s: the base layer has no "
                        "UtilityVM\\SystemTemplate.vhdx (%s); use process isolation or a base image "
                        "with a utility VM (servercore/nanoserver)", spec->id, src);
        goto out;
    }
    ws = utf8_to_long_path(src);
    wt = ws ? utf8_to_long_path(dst) : NULL;
    if (!wt)
        rc = berth_wrap(0, "utility VM scratch of %s", spec->id);
    else if (!CopyFileW(ws, wt, FALSE))
        rc = hcs_fail_hr(HRESULT_FROM_WIN32(GetLastError()), NULL, "copy the utility VM scratch to", dst);
out:
    free(dir);
    free(dst);
    free(src);
    free(ws);
    free(wt);
    return rc;
}

int hcs_scratch_remove(const hcs_api *api, const char *bundle_dir)
{
    char *dir = fs_join(bundle_dir, HCS_SCRATCH_DIR);
    char *vhd = dir ? fs_join(dir, SCRATCH_VHD) : NULL;
    char *volfile = dir ? fs_join(dir, "volume") : NULL;
    char *volume = NULL;
    int rc = (dir && vhd && volfile) ? 0 : BERTH_ENOMEM;
    if (rc)
        goto out;
    if (fs_read_file(&volume, NULL, volfile, 4096) == 0) {
        wchar_t *wv = utf8_to_utf16(volume, "volume path");
        if (wv) {
            HRESULT hr = api->DetachLayerStorageFilter(wv);
            free(wv);
            /* not attached any more is fine: remove must work on a half-created container */
            if (FAILED(hr) && hr != HRESULT_FROM_WIN32(ERROR_NOT_FOUND) &&
                hr != HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) && hr != HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)) {
                rc = hcs_fail_hr(hr, NULL, "HcsDetachLayerStorageFilter", volume);
                goto out;
            }
        }
    }
    berth_error_clear();
    if (fs_exists(vhd))
        vhd_detach(vhd);
out:
    free(dir);
    free(vhd);
    free(volfile);
    free(volume);
    return rc;
}
