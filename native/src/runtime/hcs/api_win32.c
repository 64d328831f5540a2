#include "runtime/hcs/api_win32.h"
#include "runtime/hcs/hcs.h"
#include "runtime/hcs/hostfacts.h"
#include "core/error.h"
#include "core/utf16.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* GetProcAddress into a typed pointer without a function-pointer cast warning. */
static int sym(void *dst, HMODULE m, const char *name)
{
    FARPROC p = m ? GetProcAddress(m, name) : NULL;
    memcpy(dst, &p, sizeof p);
    return p != NULL;
}

static int missing(const char *dll, const char *entry, int need)
{
    hcs_host_facts f;
    int server = platform_host_facts(&f) == 0 ? f.is_server : 1;
    berth_error_clear();
    char hint[600];
    hcs_feature_hint(hint, sizeof hint, dll, server, (need & HCS_NEED_HYPERV) != 0);
    if (entry)
        return berth_fail(BERTH_EUNSUPPORTED, "%s has no %s: this Windows is too old for HCS v2 "
                          "(Windows Server 2019 / build 17763 or newer is needed)", dll, entry);
    return berth_fail(BERTH_EUNSUPPORTED, "%s", hint);
}

static HMODULE load_system_dll(const wchar_t *name)
{
    /* System32 only: never a DLL planted next to the caller */
    return LoadLibraryExW(name, NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
}

#define NEED(field, mod, name, dll) \
    do { if (!sym(&api->field, api->mod, name)) { rc = missing(dll, name, need); goto out; } } while (0)

int hcs_api_load(hcs_api *api, int need)
{
    int rc = 0;
    memset(api, 0, sizeof *api);
    if (need & HCS_NEED_CORE) {
        if (!(api->core = load_system_dll(L"computecore.dll"))) {
            rc = missing("computecore.dll", NULL, need);
            goto out;
        }
        NEED(CreateOperation, core, "HcsCreateOperation", "computecore.dll");
        NEED(CloseOperation, core, "HcsCloseOperation", "computecore.dll");
        NEED(WaitForOperationResult, core, "HcsWaitForOperationResult", "computecore.dll");
        NEED(WaitForOperationResultAndProcessInfo, core, "HcsWaitForOperationResultAndProcessInfo", "computecore.dll");
        NEED(EnumerateComputeSystems, core, "HcsEnumerateComputeSystems", "computecore.dll");
        NEED(CreateComputeSystem, core, "HcsCreateComputeSystem", "computecore.dll");
        NEED(OpenComputeSystem, core, "HcsOpenComputeSystem", "computecore.dll");
        NEED(CloseComputeSystem, core, "HcsCloseComputeSystem", "computecore.dll");
        NEED(StartComputeSystem, core, "HcsStartComputeSystem", "computecore.dll");
        NEED(ShutDownComputeSystem, core, "HcsShutDownComputeSystem", "computecore.dll");
        NEED(TerminateComputeSystem, core, "HcsTerminateComputeSystem", "computecore.dll");
        NEED(GetComputeSystemProperties, core, "HcsGetComputeSystemProperties", "computecore.dll");
        NEED(CreateProcessInSystem, core, "HcsCreateProcess", "computecore.dll");
        NEED(CloseProcess, core, "HcsCloseProcess", "computecore.dll");
        NEED(WaitForProcessExit, core, "HcsWaitForProcessExit", "computecore.dll");
        NEED(TerminateProcess, core, "HcsTerminateProcess", "computecore.dll");
    }
    if (need & HCS_NEED_STORAGE) {
        if (!(api->storage = load_system_dll(L"computestorage.dll"))) {
            rc = missing("computestorage.dll", NULL, need);
            goto out;
        }
        NEED(ImportLayer, storage, "HcsImportLayer", "computestorage.dll");
        NEED(DestroyLayer, storage, "HcsDestroyLayer", "computestorage.dll");
        NEED(InitializeWritableLayer, storage, "HcsInitializeWritableLayer", "computestorage.dll");
        NEED(AttachLayerStorageFilter, storage, "HcsAttachLayerStorageFilter", "computestorage.dll");
        NEED(DetachLayerStorageFilter, storage, "HcsDetachLayerStorageFilter", "computestorage.dll");
        NEED(FormatWritableLayerVhd, storage, "HcsFormatWritableLayerVhd", "computestorage.dll");
        NEED(GetLayerVhdMountPath, storage, "HcsGetLayerVhdMountPath", "computestorage.dll");
    }
    if (need & HCS_NEED_NET) {
        if (!(api->net = load_system_dll(L"computenetwork.dll"))) {
            rc = missing("computenetwork.dll", NULL, need);
            goto out;
        }
        NEED(HcnEnumerateNetworks, net, "HcnEnumerateNetworks", "computenetwork.dll");
        NEED(HcnOpenNetwork, net, "HcnOpenNetwork", "computenetwork.dll");
        NEED(HcnCloseNetwork, net, "HcnCloseNetwork", "computenetwork.dll");
        NEED(HcnCreateEndpoint, net, "HcnCreateEndpoint", "computenetwork.dll");
        NEED(HcnCloseEndpoint, net, "HcnCloseEndpoint", "computenetwork.dll");
        NEED(HcnDeleteEndpoint, net, "HcnDeleteEndpoint", "computenetwork.dll");
        NEED(HcnCreateNamespace, net, "HcnCreateNamespace", "computenetwork.dll");
        NEED(HcnModifyNamespace, net, "HcnModifyNamespace", "computenetwork.dll");
        NEED(HcnCloseNamespace, net, "HcnCloseNamespace", "computenetwork.dll");
        NEED(HcnDeleteNamespace, net, "HcnDeleteNamespace", "computenetwork.dll");
    }
    /* optional: present wherever the Containers feature is */
    if ((api->vmcompute = load_system_dll(L"vmcompute.dll")) != NULL) {
        sym(&api->NameToGuid, api->vmcompute, "NameToGuid");
        sym(&api->ProcessUtilityImage, api->vmcompute, "ProcessUtilityImage");
        sym(&api->GrantVmAccess, api->vmcompute, "GrantVmAccess");
    }
out:
    if (rc)
        hcs_api_unload(api);
    return rc;
}

void hcs_api_unload(hcs_api *api)
{
    if (api->core)
        FreeLibrary(api->core);
    if (api->storage)
        FreeLibrary(api->storage);
    if (api->net)
        FreeLibrary(api->net);
    if (api->vmcompute)
        FreeLibrary(api->vmcompute);
    memset(api, 0, sizeof *api);
}

int hcs_fail_hr(HRESULT hr, PWSTR result, const char *step, const char *object)
{
    char detail[1024] = "";
    if (result) {
        char *r = utf16_to_utf8(result, "HCS result");
        if (r)
            hcs_result_message(detail, sizeof detail, r);
        free(r);
        LocalFree(result);   /* HCS and HNS allocate their strings with LocalAlloc */
        berth_error_clear();
    }
    if (!detail[0]) {
        FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)hr, 0, detail,
                       sizeof detail, NULL);
        size_t n = strlen(detail);
        while (n > 0 && (detail[n - 1] == '\n' || detail[n - 1] == '\r'))
            detail[--n] = '\0';
    }
    int code = hcs_hresult_code((uint32_t)hr);
    if (hr == HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED))
        return berth_fail(BERTH_ERROR, "%s %s: access denied — run Berth from an elevated (Administrator) "
                          "PowerShell", step, object);
    return berth_fail(code, "%s %s: %s (HRESULT 0x%08lx)", step, object, detail[0] ? detail : "failed",
                      (unsigned long)hr);
}

int hcs_run_operation(const hcs_api *api, hcs_op_call fn, void *ctx, DWORD timeout_ms, char **result_out,
                      const char *step, const char *object)
{
    HCS_OPERATION op = api->CreateOperation(NULL, NULL);
    if (!op)
        return berth_fail(BERTH_ERROR, "%s %s: HcsCreateOperation failed", step, object);
    PWSTR result = NULL;
    HRESULT hr = fn(api, op, ctx);
    if (SUCCEEDED(hr))
        hr = api->WaitForOperationResult(op, timeout_ms, &result);
    api->CloseOperation(op);
    if (FAILED(hr))
        return hcs_fail_hr(hr, result, step, object);
    int rc = 0;
    if (result_out) {
        *result_out = result ? utf16_to_utf8(result, "HCS result") : NULL;
        if (result && !*result_out)
            rc = berth_wrap(0, "%s %s", step, object);
    }
    if (result)
        LocalFree(result);
    return rc;
}

int hcs_guid_to_win(GUID *out, const char *s)
{
    unsigned char b[16];
    int rc = hcs_guid_parse(b, s);
    if (rc)
        return rc;
    out->Data1 = (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
    out->Data2 = (unsigned short)(b[4] << 8 | b[5]);
    out->Data3 = (unsigned short)(b[6] << 8 | b[7]);
    memcpy(out->Data4, b + 8, 8);
    return 0;
}

int hcs_layer_id_win32(const hcs_api *api, char *out, const char *folder)
{
    if (!api->NameToGuid)
        return hcs_layer_id(out, folder);
    const char *base = folder + strlen(folder);
    while (base > folder && (base[-1] == '\\' || base[-1] == '/'))
        base--;
    const char *end = base;
    while (base > folder && base[-1] != '\\' && base[-1] != '/')
        base--;
    char name[512];
    if ((size_t)(end - base) >= sizeof name || end == base)
        return berth_fail(BERTH_EINVAL, "layer id: \"%s\" has no usable folder name", folder);
    memcpy(name, base, (size_t)(end - base));
    name[end - base] = '\0';
    wchar_t *w = utf8_to_utf16(name, "layer folder name");
    if (!w)
        return berth_wrap(0, "layer id of %s", folder);
    GUID g;
    HRESULT hr = api->NameToGuid(w, &g);
    free(w);
    if (FAILED(hr))
        return hcs_fail_hr(hr, NULL, "NameToGuid of layer", folder);
    snprintf(out, HCS_GUID_LEN + 1, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", (unsigned long)g.Data1,
             g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
             g.Data4[7]);
    return 0;
}
