/* The HCS, storage and HNS entry points, loaded at run time with LoadLibrary/GetProcAddress so
 * that berth.dll loads on any Windows — and says what to install — where the Containers
 * feature is missing. Loaded per operation into a caller-owned table: no process-wide state. */
#ifndef BERTH_RUNTIME_HCS_API_WIN32_H
#define BERTH_RUNTIME_HCS_API_WIN32_H
#include <windows.h>
#include <computecore.h>
#include <computestorage.h>
#include <computenetwork.h>
#include "runtime/hcs/hcs.h"

enum {
    HCS_NEED_CORE = 1,      /* computecore.dll */
    HCS_NEED_STORAGE = 2,   /* computestorage.dll */
    HCS_NEED_NET = 4,       /* computenetwork.dll */
    HCS_NEED_HYPERV = 8     /* say "and Hyper-V" in the hint */
};

typedef struct {
    HMODULE core, storage, net, vmcompute;
    /* computecore.dll */
    HCS_OPERATION (WINAPI *CreateOperation)(const void *, HCS_OPERATION_COMPLETION);
    void (WINAPI *CloseOperation)(HCS_OPERATION);
    HRESULT (WINAPI *WaitForOperationResult)(HCS_OPERATION, DWORD, PWSTR *);
    HRESULT (WINAPI *WaitForOperationResultAndProcessInfo)(HCS_OPERATION, DWORD, HCS_PROCESS_INFORMATION *, PWSTR *);
    HRESULT (WINAPI *EnumerateComputeSystems)(PCWSTR, HCS_OPERATION);
    HRESULT (WINAPI *CreateComputeSystem)(PCWSTR, PCWSTR, HCS_OPERATION, const SECURITY_DESCRIPTOR *, HCS_SYSTEM *);
    HRESULT (WINAPI *OpenComputeSystem)(PCWSTR, DWORD, HCS_SYSTEM *);
    void (WINAPI *CloseComputeSystem)(HCS_SYSTEM);
    HRESULT (WINAPI *StartComputeSystem)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
    HRESULT (WINAPI *ShutDownComputeSystem)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
    HRESULT (WINAPI *TerminateComputeSystem)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
    HRESULT (WINAPI *GetComputeSystemProperties)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
    HRESULT (WINAPI *CreateProcessInSystem)(HCS_SYSTEM, PCWSTR, HCS_OPERATION, const SECURITY_DESCRIPTOR *, HCS_PROCESS *);
    void (WINAPI *CloseProcess)(HCS_PROCESS);
    HRESULT (WINAPI *WaitForProcessExit)(HCS_PROCESS, DWORD, PWSTR *);
    HRESULT (WINAPI *TerminateProcess)(HCS_PROCESS, HCS_OPERATION, PCWSTR);
    /* computestorage.dll */
    HRESULT (WINAPI *ImportLayer)(PCWSTR, PCWSTR, PCWSTR);
    HRESULT (WINAPI *DestroyLayer)(PCWSTR);
    HRESULT (WINAPI *InitializeWritableLayer)(PCWSTR, PCWSTR, PCWSTR);
    HRESULT (WINAPI *AttachLayerStorageFilter)(PCWSTR, PCWSTR);
    HRESULT (WINAPI *DetachLayerStorageFilter)(PCWSTR);
    HRESULT (WINAPI *FormatWritableLayerVhd)(HANDLE);
    HRESULT (WINAPI *GetLayerVhdMountPath)(HANDLE, PWSTR *);
    /* computenetwork.dll */
    HRESULT (WINAPI *HcnEnumerateNetworks)(PCWSTR, PWSTR *, PWSTR *);
    HRESULT (WINAPI *HcnOpenNetwork)(REFGUID, PHCN_NETWORK, PWSTR *);
    HRESULT (WINAPI *HcnCloseNetwork)(HCN_NETWORK);
    HRESULT (WINAPI *HcnCreateEndpoint)(HCN_NETWORK, REFGUID, PCWSTR, PHCN_ENDPOINT, PWSTR *);
    HRESULT (WINAPI *HcnCloseEndpoint)(HCN_ENDPOINT);
    HRESULT (WINAPI *HcnDeleteEndpoint)(REFGUID, PWSTR *);
    HRESULT (WINAPI *HcnCreateNamespace)(REFGUID, PCWSTR, PHCN_NAMESPACE, PWSTR *);
    HRESULT (WINAPI *HcnModifyNamespace)(HCN_NAMESPACE, PCWSTR, PWSTR *);
    HRESULT (WINAPI *HcnCloseNamespace)(HCN_NAMESPACE);
    HRESULT (WINAPI *HcnDeleteNamespace)(REFGUID, PWSTR *);
    /* vmcompute.dll (optional): HCS's own name → GUID, as hcsshim's wclayer.NameToGuid */
    HRESULT (WINAPI *NameToGuid)(PCWSTR, GUID *);
    /* vmcompute.dll (optional): a base layer's utility VM image (SystemTemplate*.vhdx), as
     * hcsshim's wclayer.ProcessUtilityVMImage; and a VM's access to a VHD (wclayer.GrantVmAccess) */
    HRESULT (WINAPI *ProcessUtilityImage)(PCWSTR);
    HRESULT (WINAPI *GrantVmAccess)(PCWSTR, PCWSTR);
} hcs_api;

/* Loads what need asks for; BERTH_EUNSUPPORTED with the install hint when a DLL or an entry
 * point is missing. Release with hcs_api_unload (also after a failure). */
int hcs_api_load(hcs_api *api, int need);
void hcs_api_unload(hcs_api *api);

/* Turns an HRESULT (+ the result document HCS gave, freed here) into a message naming the step
 * and the object; returns the BERTH_E* code. */
int hcs_fail_hr(HRESULT hr, PWSTR result, const char *step, const char *object);

/* Runs one HCS call that completes through an operation: creates the operation, calls fn,
 * waits (timeout_ms, INFINITE allowed) and reports failures with hcs_fail_hr. */
typedef HRESULT (*hcs_op_call)(const hcs_api *api, HCS_OPERATION op, void *ctx);
int hcs_run_operation(const hcs_api *api, hcs_op_call fn, void *ctx, DWORD timeout_ms, char **result_out,
                      const char *step, const char *object);

/* "xxxxxxxx-…" → a Windows GUID (Data1..3 are integers, Data4 bytes). */
int hcs_guid_to_win(GUID *out, const char *s);
/* The layer's GUID as HCS computes it (vmcompute!NameToGuid of the folder name, like hcsshim's
 * wclayer.LayerID) when vmcompute.dll offers it; else the portable v5 derivation. */
int hcs_layer_id_win32(const hcs_api *api, char *out, const char *folder);

/* layers_win32.c: import staged layers, make and mount the writable scratch layer, undo it. */
int hcs_layers_import(const hcs_api *api, const runtime_spec *staged, const runtime_spec *spec,
                      char (*ids)[HCS_GUID_LEN + 1]);
int hcs_scratch_create(const hcs_api *api, const runtime_spec *spec, char (*ids)[HCS_GUID_LEN + 1],
                       int hyperv, char **volume_out);
int hcs_uvm_scratch_create(const runtime_spec *spec);
int hcs_grant_vm_access(const hcs_api *api, const char *uvm_id, const char *vhd);
int hcs_scratch_remove(const hcs_api *api, const char *bundle_dir);

/* net_win32.c: the HNS endpoint and namespace of a container, and their removal. */
int hcs_net_lookup(const hcs_api *api, const char *name, char *id_out);
int hcs_net_create(const hcs_api *api, const char *container_id, const char *network_id, const hcs_docs *docs);
int hcs_net_remove(const hcs_api *api, const char *container_id);

#endif
