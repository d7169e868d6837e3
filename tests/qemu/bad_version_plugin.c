/* A plugin that claims another interface version: QEMU must refuse to use it. */
#include "rpvp/plugin.h"

uint32_t rpvp_plugin_abi_version(void)
{
    return RPVP_PLUGIN_ABI_VERSION + 41u;
}

int32_t rpvp_plugin_create(const rpvp_plugin_host *host, const char *config, rpvp_plugin **out,
                           const rpvp_plugin_ops **ops, char *err, size_t err_size)
{
    return RPVP_PLUGIN_FAILED; /* never reached: the version check comes first */
}
