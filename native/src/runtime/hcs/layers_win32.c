/* Layer storage on a Windows host (computestorage.dll + virtdisk):
 *  - import: a layer staged by the layer unpacker as the folder "<layer>.staging" (the tar's
 *    Files\, Hives\ and UtilityVM\ as they are) becomes the HCS layer folder "<layer>" through
 *    HcsImportLayer, parents given newest first; "<layer>.imported" marks it done, so an
 *    import interrupted by a crash is simply redone (HcsDestroyLayer clears the half).
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
#include <initguid.h>
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

static char *with_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (!p) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(p, n, "%s%s", path, suffix);
    return p;
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
        rc = hcs_layer_data(out, pid, ppath, top);
    free(pid);
    free(ppath);
    return rc;
}

static int import_one(const hcs_api *api, const runtime_spec *spec, char (*ids)[HCS_GUID_LEN + 1], size_t i)
{
    const char *layer = spec->layers[i].path;
    char *marker = with_suffix(layer, ".imported"), *staging = with_suffix(layer, ".staging");
    char *data = NULL;
    wchar_t *wl = NULL, *ws = NULL, *wd = NULL;
    int rc = (marker && staging) ? 0 : BERTH_ENOMEM;
    if (rc || fs_exists(marker))
        goto out;
    if (!fs_exists(staging)) {
        rc = berth_fail(BERTH_ENOTFOUND, "import layer %s: neither imported nor staged (%s is missing); "
                        "pull the image again", spec->layers[i].chain_id, staging);
        goto out;
    }
    if ((rc = parents_data(&data, spec, ids, i)) != 0)
        goto out;
    wl = utf8_to_long_path(layer);
    ws = wl ? utf8_to_long_path(staging) : NULL;
    wd = ws ? utf8_to_utf16(data, "layer data") : NULL;
    if (!wd) {
        rc = berth_wrap(0, "import layer %s", layer);
        goto out;
    }
    if (fs_exists(layer))
        api->DestroyLayer(wl);   /* the half of an interrupted import */
    HRESULT hr = api->ImportLayer(wl, ws, wd);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, NULL, "HcsImportLayer", layer);
        goto out;
    }
    /* marker first, then the staging copy: a crash in between only leaves garbage */
    if ((rc = fs_write_atomic(marker, ids[i], strlen(ids[i]), 0644)) == 0)
        fs_remove_tree(staging);
out:
    free(marker);
    free(staging);
    free(data);
    free(wl);
    free(ws);
    free(wd);
    return rc;
}

int hcs_layers_import(const hcs_api *api, const runtime_spec *spec, char (*ids)[HCS_GUID_LEN + 1])
{
    for (size_t i = 0; i < spec->n_layers; i++) {   /* base first: each needs its parents */
        int rc = import_one(api, spec, ids, i);
        if (rc)
            return rc;
    }
    return 0;
}

static VIRTUAL_STORAGE_TYPE vhdx_type(void)
{
    VIRTUAL_STORAGE_TYPE t;
    t.DeviceId = VIRTUAL_STORAGE_TYPE_DEVICE_VHDX;
    t.VendorId = VIRTUAL_STORAGE_TYPE_VENDOR_MICROSOFT;
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
