/* HNS (computenetwork.dll): a container joins the default "nat" network (or a named one)
 * through an endpoint carrying its port mappings, placed in a namespace that the compute
 * system names in Container.Networking.Namespace — the steps of hcsshim's hcn package
 * (GetNetworkByName, HostComputeEndpoint.Create, HostComputeNamespace.Create,
 * AddNamespaceEndpoint). The ids are derived from the container id, so remove finds them
 * again without any state, and a retried create meets "already exists" rather than leaking. */
#include "runtime/hcs/api_win32.h"
#include "core/error.h"
#include "core/utf16.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* HNS's "not found" HRESULTs (HCN_E_NETWORK_NOT_FOUND, HCN_E_ENDPOINT_NOT_FOUND, …: facility
 * 0x3B) as the Windows SDK's winerror.h lists them; mingw lacks them and no host verified them. */
#define HCN_NOT_FOUND(hr) ((hr) == (HRESULT)0x803B0001L || (hr) == (HRESULT)0x803B0002L || (hr) == (HRESULT)0x803B0003L)

int hcs_net_lookup(const hcs_api *api, const char *name, char *id_out)
{
    char *query = NULL, *list = NULL;
    wchar_t *wq = NULL;
    PWSTR nets = NULL, err = NULL;
    int rc = hcn_network_query(&query, name);
    if (rc)
        return rc;
    if (!(wq = utf8_to_utf16(query, "network query"))) {
        rc = berth_wrap(0, "find network %s", name);
        goto out;
    }
    HRESULT hr = api->HcnEnumerateNetworks(wq, &nets, &err);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, err, "find network", name);
        err = NULL;
        goto out;
    }
    if (!nets || !(list = utf16_to_utf8(nets, "network list"))) {
        rc = berth_fail(BERTH_ENOTFOUND, "network %s: HNS returned nothing", name);
        goto out;
    }
    rc = hcn_first_id(id_out, list, name);
    if (rc == BERTH_ENOTFOUND)
        rc = berth_fail(BERTH_ENOTFOUND, "network %s does not exist on this host; the default \"nat\" network "
                        "appears when the Containers feature is installed and the HNS service runs "
                        "(Get-Service hns; Restart-Service hns)", name);
out:
    if (nets)
        LocalFree(nets);
    if (err)
        LocalFree(err);
    free(query);
    free(list);
    free(wq);
    return rc;
}

int hcs_net_create(const hcs_api *api, const char *container_id, const char *netid, const hcs_docs *docs)
{
    char epid[HCS_GUID_LEN + 1], nsid[HCS_GUID_LEN + 1];
    GUID ep, ns, net;
    HCN_NETWORK hnet = NULL;
    HCN_ENDPOINT hep = NULL;
    HCN_NAMESPACE hns = NULL;
    PWSTR err = NULL;
    wchar_t *wep = NULL, *wns = NULL, *wadd = NULL;
    int rc;
    if (!docs->network_endpoint)
        return 0;   /* --network none */
    if ((rc = hcs_derived_id(epid, "endpoint", container_id)) != 0 ||
        (rc = hcs_derived_id(nsid, "namespace", container_id)) != 0 ||
        (rc = hcs_guid_to_win(&ep, epid)) != 0 || (rc = hcs_guid_to_win(&ns, nsid)) != 0 ||
        (rc = hcs_guid_to_win(&net, netid)) != 0)
        return rc;
    if (!(wep = utf8_to_utf16(docs->network_endpoint, "endpoint document")) ||
        !(wns = utf8_to_utf16(docs->network_namespace, "namespace document")) ||
        !(wadd = utf8_to_utf16(docs->namespace_add_endpoint, "namespace request"))) {
        rc = berth_wrap(0, "network of %s", container_id);
        goto out;
    }
    HRESULT hr = api->HcnOpenNetwork(&net, &hnet, &err);
    if (FAILED(hr)) {
        rc = hcs_fail_hr(hr, err, "open network", netid);
        err = NULL;
        goto out;
    }
    if (FAILED(hr = api->HcnCreateEndpoint(hnet, &ep, wep, &hep, &err))) {
        rc = hcs_fail_hr(hr, err, "HcnCreateEndpoint for container", container_id);
        err = NULL;
        goto out;
    }
    if (FAILED(hr = api->HcnCreateNamespace(&ns, wns, &hns, &err))) {
        rc = hcs_fail_hr(hr, err, "HcnCreateNamespace for container", container_id);
        err = NULL;
        goto out;
    }
    if (FAILED(hr = api->HcnModifyNamespace(hns, wadd, &err))) {
        rc = hcs_fail_hr(hr, err, "add the endpoint to the namespace of container", container_id);
        err = NULL;
    }
out:
    if (hns)
        api->HcnCloseNamespace(hns);
    if (hep)
        api->HcnCloseEndpoint(hep);
    if (hnet)
        api->HcnCloseNetwork(hnet);
    if (err)
        LocalFree(err);
    free(wep);
    free(wns);
    free(wadd);
    if (rc) {   /* nothing half-made stays behind */
        char keep[2048];
        snprintf(keep, sizeof keep, "%s", berth_errmsg());
        int code = berth_errcode();
        hcs_net_remove(api, container_id);
        berth_fail(code, "%s", keep);
    }
    return rc;
}

int hcs_net_remove(const hcs_api *api, const char *container_id)
{
    char id[HCS_GUID_LEN + 1];
    GUID g;
    PWSTR err = NULL;
    int rc = 0;
    static const char *const kinds[] = { "namespace", "endpoint" };
    for (int i = 0; i < 2; i++) {
        if (hcs_derived_id(id, kinds[i], container_id) != 0 || hcs_guid_to_win(&g, id) != 0)
            return berth_errcode();
        HRESULT hr = i == 0 ? api->HcnDeleteNamespace(&g, &err) : api->HcnDeleteEndpoint(&g, &err);
        /* HNS answers "not found" for what a half-made create never made: that is success */
        if (FAILED(hr) && hr != HRESULT_FROM_WIN32(ERROR_NOT_FOUND) && HCN_NOT_FOUND(hr) == 0 && rc == 0) {
            rc = hcs_fail_hr(hr, err, i == 0 ? "HcnDeleteNamespace of container" : "HcnDeleteEndpoint of container",
                             container_id);
            err = NULL;
        }
        if (err) {
            LocalFree(err);
            err = NULL;
        }
    }
    return rc;
}
